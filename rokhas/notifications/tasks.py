"""Background mail, retried with backoff when the mail server fails."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@task()
def send_dossier_mail(*, user_id: int, dossier_id: int, event: str, attempt: int = 1) -> None:
    from rokhas.accounts.models import User
    from rokhas.dossiers.models import Dossier

    user = User.objects.filter(pk=user_id).first()
    dossier = Dossier.objects.select_related("commune", "procedure_version__procedure").filter(pk=dossier_id).first()
    if user is None or dossier is None or not user.email:
        return
    with translation.override(user.preferred_language or "fr"):
        file_url = settings.SITE_URL.rstrip("/") + reverse("web:dossier", kwargs={"pk": dossier.pk})
        context = {"user": user, "dossier": dossier, "event": event, "file_url": file_url,
                   "lang": translation.get_language()}
        subject = render_to_string("notifications/dossier_subject.txt", context).strip()
        text = render_to_string("notifications/dossier_body.txt", context)
        html = render_to_string("notifications/dossier_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    if event in ("submitted", "resubmitted"):
        # The receipt (law 55-19) goes with the filing mail, in both languages.
        from rokhas.decisions.documents import receipt_pdf

        message.attach(f"recu-{dossier.reference}.pdf", receipt_pdf(dossier), "application/pdf")
    try:
        message.send()
    except Exception as exc:  # SMTP errors are many; retry any of them
        if attempt >= MAX_ATTEMPTS:
            log.error("mail to user %s about dossier %s failed for good: %s", user_id, dossier_id, exc)
            raise
        delay = datetime.timedelta(minutes=2 ** attempt)
        send_dossier_mail.using(run_after=timezone.now() + delay).enqueue(
            user_id=user_id, dossier_id=dossier_id, event=event, attempt=attempt + 1)


@task()
def send_deadline_mail(*, user_id: int, dossier_id: int, kind: str, organisation_id: int | None, due_date: str,
                       attempt: int = 1) -> None:
    from rokhas.accounts.models import Organisation, User
    from rokhas.dossiers.models import Dossier

    user = User.objects.filter(pk=user_id).first()
    dossier = Dossier.objects.select_related("commune").filter(pk=dossier_id).first()
    if user is None or dossier is None or not user.email:
        return
    organisation = Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    with translation.override(user.preferred_language or "fr"):
        file_url = settings.SITE_URL.rstrip("/") + reverse("web:dossier", kwargs={"pk": dossier.pk})
        context = {"user": user, "dossier": dossier, "kind": kind, "organisation": organisation,
                   "due_date": datetime.date.fromisoformat(due_date), "file_url": file_url}
        subject = render_to_string("notifications/deadline_subject.txt", context).strip()
        text = render_to_string("notifications/deadline_body.txt", context)
    try:
        EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    except Exception as exc:  # SMTP errors are many; retry any of them
        if attempt >= MAX_ATTEMPTS:
            log.error("deadline mail to user %s about dossier %s failed for good: %s", user_id, dossier_id, exc)
            raise
        send_deadline_mail.using(run_after=timezone.now() + datetime.timedelta(minutes=2 ** attempt)).enqueue(
            user_id=user_id, dossier_id=dossier_id, kind=kind, organisation_id=organisation_id, due_date=due_date,
            attempt=attempt + 1)
