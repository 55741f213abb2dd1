"""Reminders before deadlines and escalation after them: each sent once, to the right people,
audited — and lateness shown on the file's timeline for the applicant to see."""

from django.core import mail

from rokhas.audit.models import AuditEntry
from rokhas.dossiers import services
from rokhas.review.deadlines import send_deadline_notices
from rokhas.review.models import Consultation, DeadlineNotice
from rokhas.review.services import give_opinion
from rokhas.workdays.calendar import add_days
from tests.web.conftest import body, client_for, url

K = DeadlineNotice.Kind


def _dispatched(world, file_dossier):
    d = file_dossier()
    services.accept_and_dispatch(actor=world.users["guichet"], dossier=d)
    due = Consultation.objects.filter(dossier=d).order_by("due_date").first().due_date
    Consultation.objects.filter(dossier=d).update(due_date=due)  # one due date for all, simpler to reason on
    return d, due


def _send(run, today):
    with run(execute=True):
        return send_deadline_notices(today)


def test_opinions_due_soon_are_reminded_once(world, file_dossier, django_capture_on_commit_callbacks):
    d, due = _dispatched(world, file_dossier)
    mail.outbox.clear()
    counts = _send(django_capture_on_commit_callbacks, add_days(due, -1, "working"))
    assert counts[K.OPINION_DUE_SOON] == 3
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted(world.users[k].email for k in ("commune_reviewer", "urban_agency", "local_authority"))
    assert all(d.reference in m.subject for m in mail.outbox)
    assert _send(django_capture_on_commit_callbacks, add_days(due, -1, "working"))[K.OPINION_DUE_SOON] == 0
    assert len(mail.outbox) == 3  # not twice


def test_overdue_opinions_tell_the_guichet_then_escalate(world, file_dossier, django_capture_on_commit_callbacks):
    d, due = _dispatched(world, file_dossier)
    give_opinion(actor=world.users["urban_agency"], dossier=d, verdict="favorable", text="")
    give_opinion(actor=world.users["local_authority"], dossier=d, verdict="ajourne", text="Visite nécessaire")
    mail.outbox.clear()
    counts = _send(django_capture_on_commit_callbacks, add_days(due, 1, "working"))
    # The agency answered; the local authority only postponed: still awaited.
    assert counts[K.OPINION_OVERDUE] == 2 and counts[K.OPINION_ESCALATED] == 0
    late = set(DeadlineNotice.objects.filter(kind=K.OPINION_OVERDUE).values_list("consultation__organisation__kind",
                                                                                 flat=True))
    assert late == {"commune", "local_authority"}
    assert world.users["guichet"].email in {m.to[0] for m in mail.outbox}
    # The applicant sees who holds the file up.
    html = body(client_for(world.users["owner"]).get(url("fr", "web:dossier", pk=d.pk)))
    assert "pas été donné" in html  # the overdue opinion, in French on the owner's page
    mail.outbox.clear()
    counts = _send(django_capture_on_commit_callbacks, add_days(due, 4, "working"))
    assert counts[K.OPINION_ESCALATED] == 2 and counts[K.OPINION_OVERDUE] == 0
    escalated = DeadlineNotice.objects.filter(kind=K.OPINION_ESCALATED)
    assert all(n.recipients == [world.users["supervisor"].pk] for n in escalated)
    assert world.users["supervisor"].email in {m.to[0] for m in mail.outbox}
    assert AuditEntry.objects.filter(dossier_id=d.pk, action="deadline.opinion_escalated").count() == 2


def test_the_president_is_reminded_of_a_decision_due_soon(world, file_dossier, django_capture_on_commit_callbacks):
    d, _due = _dispatched(world, file_dossier)
    d.refresh_from_db()
    mail.outbox.clear()
    counts = _send(django_capture_on_commit_callbacks, add_days(d.legal_due_date, -1, "working"))
    assert counts[K.DECISION_DUE_SOON] == 1
    assert {world.users["president"].email, world.users["delegate"].email} <= {m.to[0] for m in mail.outbox}
    owner_lang_mail = [m for m in mail.outbox if m.to[0] == world.users["president"].email][0]
    assert d.reference in owner_lang_mail.subject
