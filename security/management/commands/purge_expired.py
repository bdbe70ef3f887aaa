from django.core.management.base import BaseCommand

from security.retention import retention_purge


class Command(BaseCommand):
    help = (
        "Delete what each inspection's retention policy says is past its date: report files, frames' rows "
        "and, after the inspection was archived, its case data. Leaves an audit row per purge. Run daily (cron)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be purged; delete nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        purged = retention_purge(dry_run=dry_run)
        verb = "Would purge" if dry_run else "Purged"
        for item in purged:
            self.stdout.write(f"{verb} {item.count} {item.what} of {item.inspection}.")
        if not purged:
            self.stdout.write("Nothing is past its retention date.")
