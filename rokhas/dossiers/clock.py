"""The legal clock of a file, computed from facts (rounds' dates and the procedure version).

Nothing here is stored as a flag: due dates, suspensions and lateness are derived each time.
Rules: the clock starts the day after filing (first round); it counts in the class's kind of
days (working days skip weekends and Moroccan holidays); the days while the file is back with
the applicant (from the day after a return up to the day of resubmission) are not counted
when the procedure version says complement requests suspend the clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from rokhas.workdays.calendar import add_days, count_days

from .models import Dossier


@dataclass(frozen=True)
class ClockState:
    started_on: datetime.date | None
    total_days: int | None
    day_kind: str | None
    source: str
    suspended: bool
    suspensions: tuple[tuple[datetime.date, datetime.date | None], ...] = field(default_factory=tuple)
    due_date: datetime.date | None = None
    days_left: int | None = None
    overdue: bool = False


def _local(dt: datetime.datetime) -> datetime.date:
    return timezone.localdate(dt)


def suspensions_of(dossier: Dossier, rounds=None) -> list[tuple[datetime.date, datetime.date | None]]:
    """`rounds`: the file's rounds if the caller already read them (in number order)."""
    if not dossier.procedure_version.complement_suspends_clock:
        return []
    rounds = list(dossier.rounds.order_by("number")) if rounds is None else sorted(rounds, key=lambda r: r.number)
    out = []
    for current, following in zip(rounds, rounds[1:] + [None], strict=True):
        if current.returned_at:
            out.append((_local(current.returned_at),
                        _local(following.submitted_at) if following else None))
    return out


def _skipper(suspensions):
    def skip(day: datetime.date) -> bool:
        return any(start < day and (end is None or day <= end) for start, end in suspensions)
    return skip


def compute(dossier: Dossier, today: datetime.date | None = None, rounds=None) -> ClockState:
    today = today or timezone.localdate()
    cls = dossier.project_class
    if dossier.filed_at is None or cls is None:
        return ClockState(None, None, None, "", suspended=False)
    started = _local(dossier.filed_at)
    suspensions = suspensions_of(dossier, rounds)
    suspended = dossier.status == Dossier.Status.RETURNED and bool(suspensions) and suspensions[-1][1] is None
    source = cls.deadline_source
    if suspended:
        return ClockState(started, cls.total_days, cls.day_kind, source, True, tuple(suspensions))
    skip = _skipper(suspensions)
    due = add_days(started, cls.total_days, cls.day_kind, skip=skip)
    closed = dossier.status in Dossier.CLOSED_STATUSES
    if closed:  # the clock stopped: nothing left to count (and years of days to skip over)
        return ClockState(started, cls.total_days, cls.day_kind, source, False, tuple(suspensions), due, None)
    if today <= due:
        left = count_days(today, due, cls.day_kind, skip=skip)
    else:
        left = -count_days(due, today, cls.day_kind, skip=skip)
    return ClockState(started, cls.total_days, cls.day_kind, source, False, tuple(suspensions),
                      due, left, overdue=today > due)


def refresh_due_date(dossier: Dossier, rounds=None) -> datetime.date | None:
    """Rewrite the cached due date used to sort worklists; returns it."""
    state = compute(dossier, rounds=rounds)
    Dossier.objects.filter(pk=dossier.pk).update(legal_due_date=state.due_date)
    dossier.legal_due_date = state.due_date
    return state.due_date
