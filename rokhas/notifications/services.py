"""Who hears of what. Mails go out through a background task, only after the commit."""

from __future__ import annotations

from django.db import transaction

DOSSIER_EVENTS = {"submitted", "resubmitted", "accepted", "returned", "opinion", "decided",
                  "tacitly_approved", "message"}


def dossier_event(dossier, event: str) -> None:
    """Tell the applicant and the owner (both: an owner-blind file invites corruption)."""
    assert event in DOSSIER_EVENTS, event
    recipients = {dossier.applicant_id, dossier.owner_id}
    dossier_id = dossier.pk

    def enqueue():
        from .tasks import send_dossier_mail

        with transaction.atomic():  # one commit for the recipients' tasks
            for user_id in sorted(recipients):
                send_dossier_mail.enqueue(user_id=user_id, dossier_id=dossier_id, event=event, attempt=1)

    transaction.on_commit(enqueue)


def deadline_notice(dossier, kind: str, recipients: list[int], *, organisation_id: int | None,
                    due_date) -> None:
    """Officials reminded of a deadline, or told it passed (rokhas/review/deadlines.py)."""
    dossier_id = dossier.pk

    def enqueue():
        from .tasks import send_deadline_mail

        with transaction.atomic():
            for user_id in sorted(set(recipients)):
                send_deadline_mail.enqueue(user_id=user_id, dossier_id=dossier_id, kind=kind,
                                           organisation_id=organisation_id, due_date=str(due_date), attempt=1)

    transaction.on_commit(enqueue)
