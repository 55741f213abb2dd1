"""Background work of the review domain."""

from django_tasks import task

from .deadlines import send_deadline_notices


@task()
def send_deadline_notices_task() -> dict:
    """Daily reminders and escalations (also runnable from cron: rokhas_send_deadline_notices)."""
    return send_deadline_notices()
