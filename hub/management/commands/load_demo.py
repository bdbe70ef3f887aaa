from django.core.management.base import BaseCommand, CommandError

from hub.demo import demo_accounts_keep, demo_exists, demo_slug, load_demo

KEPT = (
    "Demo inspection '{slug}' kept as it was, with everything done in it. "
    "To start it afresh: bin/serve --fresh-demo (or manage.py load_demo --fresh)."
)
RESET_HINT = (
    "Demo accounts keep their passwords. To set them all: DEMO_PASSWORD=… bin/serve "
    "(or manage.py load_demo --if-missing --password …); one account: manage.py changepassword USERNAME."
)


class Command(BaseCommand):
    help = (
        "Create the complete demo inspection (its slug is the shipped plan's code) and its accounts, replacing "
        "any earlier demo (--fresh, the default), or only when it is missing (--if-missing)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--password", help="set every demo account's password to this")
        when = parser.add_mutually_exclusive_group()
        when.add_argument(
            "--fresh", action="store_true", help="replace any earlier demo and everything done in it (the default)"
        )
        when.add_argument(
            "--if-missing",
            action="store_true",
            help="load the demo only when it does not exist; otherwise keep it and its accounts' passwords",
        )

    def handle(self, *args, seed: int, password: str | None, if_missing: bool, **options) -> None:
        try:
            if if_missing and demo_exists():
                self._keep(password)
                return
            result = load_demo(seed=seed, password=password)
        except Exception as exc:
            raise CommandError(f"load_demo failed: {exc}") from exc
        files = result.inspection.case_files.in_sample().count()
        self.stdout.write(f"Demo inspection '{result.inspection.slug}' ready: {files} files in the sample.")
        self._passwords(result.passwords)

    def _keep(self, password: str | None) -> None:
        self.stdout.write(KEPT.format(slug=demo_slug()))
        passwords = demo_accounts_keep(password=password)
        if password is None:
            self.stdout.write(RESET_HINT)
        if passwords:
            self._passwords(passwords)

    def _passwords(self, passwords: dict[str, str]) -> None:
        self.stdout.write("Demo accounts (username / password):")
        for username, pw in passwords.items():
            self.stdout.write(f"  {username:<11} {pw}")
