from django.core.management.base import BaseCommand, CommandError

from hub.demo import load_demo


class Command(BaseCommand):
    help = "Create (or re-create) the complete demo inspection (its slug is the shipped plan's code) and its accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--password", help="set every demo account's password to this")

    def handle(self, *args, seed: int, password: str | None, **options) -> None:
        try:
            result = load_demo(seed=seed, password=password)
        except Exception as exc:
            raise CommandError(f"load_demo failed: {exc}") from exc
        files = result.inspection.case_files.in_sample().count()
        self.stdout.write(f"Demo inspection '{result.inspection.slug}' ready: {files} files in the sample.")
        self.stdout.write("Demo accounts (username / password):")
        for username, pw in result.passwords.items():
            self.stdout.write(f"  {username:<11} {pw}")
