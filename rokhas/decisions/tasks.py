"""Background work of the decisions domain."""

from django_tasks import task

from .services import sweep_deadlines


@task()
def sweep_deadlines_task() -> dict:
    """Apply the silence rule to overdue files (also runnable from cron: rokhas_sweep_deadlines)."""
    return sweep_deadlines()
