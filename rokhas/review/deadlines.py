"""Reminders before deadlines and escalation after them.

Run daily (`manage.py rokhas_send_deadline_notices`, or its task). Each notice is sent once
per subject and kind (DeadlineNotice), audited, and — for lateness — shown on the file's
timeline: the applicant sees who holds the file up.

- an opinion due within ROKHAS_REMINDER_WORKING_DAYS: the body consulted is reminded;
- an opinion past its due date: the body and the file's single window are told;
- still missing ROKHAS_ESCALATION_WORKING_DAYS after: escalated to the governor's services
  (supervisors of the province, else of the region, else national);
- a decision due within ROKHAS_REMINDER_WORKING_DAYS: the president and delegates are reminded.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from rokhas.accounts.models import Membership, Organisation
from rokhas.audit.services import record
from rokhas.dossiers.models import Dossier
from rokhas.notifications import services as notify
from rokhas.workdays.calendar import add_days

from .models import Consultation, DeadlineNotice, Opinion

Kind = DeadlineNotice.Kind
Role = Membership.Role
FINAL_VERDICTS = [v for v in Opinion.Verdict.values if v != Opinion.Verdict.AJOURNE]


def _members(orgs: Q, roles: list[str]) -> list[int]:
    return sorted(set(Membership.objects.filter(orgs, role__in=roles, active=True, organisation__active=True)
                      .values_list("user_id", flat=True)))


def guichet_of(dossier: Dossier) -> list[int]:
    commune = dossier.commune
    return _members(Q(organisation__commune_id=commune.pk)
                    | Q(organisation__kind=Organisation.Kind.PROVINCIAL_COMMITTEE,
                        organisation__province_id=commune.province_id), [Role.GUICHET_AGENT])


def governors_services_of(dossier: Dossier) -> list[int]:
    """Supervisors closest to the file's commune: its province, else its region, else national."""
    commune = dossier.commune
    for scope in (Q(organisation__province_id=commune.province_id, organisation__commune__isnull=True),
                  Q(organisation__region_id=commune.province.region_id, organisation__province__isnull=True),
                  Q(organisation__kind=Organisation.Kind.MINISTRY, organisation__region__isnull=True,
                    organisation__province__isnull=True, organisation__commune__isnull=True)):
        found = _members(scope, [Role.SUPERVISOR])
        if found:
            return found
    return []


def _send(*, dossier: Dossier, consultation: Consultation | None, kind: str, due: datetime.date,
          recipients: list[int]) -> bool:
    """Record the notice (once), audit it and mail it after commit; False if already sent."""
    try:
        with transaction.atomic():
            DeadlineNotice.objects.create(dossier=dossier, consultation=consultation, kind=kind, due_date=due,
                                          sent_at=timezone.now(), recipients=recipients)
            data = {"kind": kind, "due_date": due, "recipients": len(recipients)}
            if consultation is not None:
                data["organisation"] = consultation.organisation.code
            record(actor=None, action=f"deadline.{kind}", obj=dossier, dossier_id=dossier.pk, data=data)
            notify.deadline_notice(dossier, kind, recipients, organisation_id=getattr(consultation, "organisation_id", None),
                                   due_date=due)
    except IntegrityError:
        return False  # sent on an earlier run (or concurrently)
    return True


def _awaiting_opinion():
    return (Consultation.objects.filter(open=True, dossier__status=Dossier.Status.IN_REVIEW)
            .exclude(opinions__verdict__in=FINAL_VERDICTS)
            .select_related("dossier__commune__province", "organisation"))


def send_deadline_notices(today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    remind = settings.ROKHAS_REMINDER_WORKING_DAYS
    soon = add_days(today, remind, "working")
    escalate_before = add_days(today, -settings.ROKHAS_ESCALATION_WORKING_DAYS, "working")
    counts = {k: 0 for k in Kind.values}

    for c in _awaiting_opinion().filter(due_date__gte=today, due_date__lte=soon).iterator():
        reviewers = _members(Q(organisation_id=c.organisation_id), [Role.REVIEWER])
        counts[Kind.OPINION_DUE_SOON] += _send(dossier=c.dossier, consultation=c, kind=Kind.OPINION_DUE_SOON,
                                               due=c.due_date, recipients=reviewers)
    for c in _awaiting_opinion().filter(due_date__lt=today).iterator():
        reviewers = _members(Q(organisation_id=c.organisation_id), [Role.REVIEWER])
        counts[Kind.OPINION_OVERDUE] += _send(dossier=c.dossier, consultation=c, kind=Kind.OPINION_OVERDUE,
                                              due=c.due_date, recipients=sorted({*reviewers, *guichet_of(c.dossier)}))
        if c.due_date < escalate_before:
            counts[Kind.OPINION_ESCALATED] += _send(
                dossier=c.dossier, consultation=c, kind=Kind.OPINION_ESCALATED, due=c.due_date,
                recipients=governors_services_of(c.dossier))
    due_soon = (Dossier.objects.filter(status=Dossier.Status.IN_REVIEW, legal_due_date__gte=today,
                                       legal_due_date__lte=soon).select_related("commune"))
    for d in due_soon.iterator():
        deciders = _members(Q(organisation__commune_id=d.commune_id), [Role.PRESIDENT, Role.DELEGATE])
        counts[Kind.DECISION_DUE_SOON] += _send(dossier=d, consultation=None, kind=Kind.DECISION_DUE_SOON,
                                                due=d.legal_due_date, recipients=deciders)
    return counts
