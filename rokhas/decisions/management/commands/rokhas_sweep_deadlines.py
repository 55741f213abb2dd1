import datetime

from django.core.management.base import BaseCommand

from rokhas.decisions.services import sweep_deadlines


class Command(BaseCommand):
    help = "Apply each procedure's silence rule to open files past their legal deadline (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD), for replaying a missed day")
        parser.add_argument("--enqueue", action="store_true", help="Run it as a background task instead")

    def handle(self, *args, today=None, enqueue=False, **options):
        if enqueue:
            from rokhas.decisions.tasks import sweep_deadlines_task

            result = sweep_deadlines_task.enqueue()
            self.stdout.write(f"enqueued task {result.id}")
            return
        day = datetime.date.fromisoformat(today) if today else None
        counts = sweep_deadlines(day)
        self.stdout.write(f"{counts['checked']} overdue file(s) checked, "
                          f"{counts['tacitly_approved']} tacitly approved")
