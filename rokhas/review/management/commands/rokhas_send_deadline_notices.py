import datetime

from django.core.management.base import BaseCommand

from rokhas.review.deadlines import send_deadline_notices


class Command(BaseCommand):
    help = "Remind officials of opinions and decisions due soon; escalate missing opinions (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD), for replaying a missed day")

    def handle(self, *args, today=None, **options):
        day = datetime.date.fromisoformat(today) if today else None
        counts = send_deadline_notices(day)
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in counts.items()))
