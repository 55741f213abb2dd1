from django.core.management.base import BaseCommand, CommandError

from rokhas.audit.services import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit hash chain and report the first broken link, if any."

    def handle(self, *args, **options):
        ok, count, message = verify_chain()
        if not ok:
            raise CommandError(f"audit chain BROKEN after {count} entries: {message}")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} entries"))
