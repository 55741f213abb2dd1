"""Remove stored document files that no document version references.

A process killed between storing an upload and committing its row (power cut, OOM kill)
cannot clean up after itself; this sweep, run from cron, does. Files younger than the grace
period are left alone: their upload may still be committing."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from rokhas.documents.models import DocumentVersion
from rokhas.documents.storage import find_orphans


class Command(BaseCommand):
    help = "Delete stored document files referenced by no document version."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--min-age-minutes", type=int, default=60)

    def handle(self, *args, dry_run=False, min_age_minutes=60, **options):
        referenced = set(DocumentVersion.objects.values_list("storage_name", flat=True))
        orphans = find_orphans(referenced, min_age=timedelta(minutes=min_age_minutes))
        for name in orphans:
            if not dry_run:
                default_storage.delete(name)
            self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {name}")
        self.stdout.write(f"{len(orphans)} orphan file(s)")
