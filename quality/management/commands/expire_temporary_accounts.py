"""Switch off the temporary accounts of external exercise participants past their expiry.

Safe to run as often as you like (e.g. hourly from cron); sign-in and every exercise page
also refuse an expired account, so this only tidies up."""

from django.core.management.base import BaseCommand

from quality.services import temporary_accounts_expire


class Command(BaseCommand):
    help = "Switch off temporary exercise accounts whose expiry has passed."

    def handle(self, *args, **options) -> None:
        count = temporary_accounts_expire()
        self.stdout.write(f"{count} temporary account{'s' if count != 1 else ''} switched off.")
