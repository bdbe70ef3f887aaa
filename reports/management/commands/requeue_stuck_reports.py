from django.core.management.base import BaseCommand

from reports.services import report_jobs_requeue_stuck


class Command(BaseCommand):
    help = (
        "Queue again every report job queued or running with no sign of life for REPORTS_STUCK_AFTER seconds "
        "(its task lost with a killed worker or an emptied broker). Safe to run from cron."
    )

    def handle(self, *args, **options) -> None:
        requeued = report_jobs_requeue_stuck()
        self.stdout.write(
            f"Queued again {len(requeued)} report job(s){': ' if requeued else '.'}{', '.join(map(str, requeued))}"
        )
