"""Invitation mails, sent by a background task after the commit, retried with backoff."""

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
def send_invitation(*, participant_id: int, attempt: int = 1) -> None:
    from . import selectors
    from .models import Participant

    participant = (Participant.objects.select_related("user", "organisation", "session", "session__organisation")
                   .filter(pk=participant_id).first())
    if participant is None or not participant.user.email:
        return
    user, session = participant.user, participant.session
    with translation.override(user.preferred_language or "fr"):
        url = settings.SITE_URL.rstrip("/") + reverse("web:commission-session", kwargs={"session_id": session.pk})
        context = {"user": user, "session": session, "participant": participant, "url": url,
                   "items": selectors.agenda(session), "lang": translation.get_language()}
        subject = render_to_string("commission/invitation_subject.txt", context).strip()
        text = render_to_string("commission/invitation_body.txt", context)
        html = render_to_string("commission/invitation_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as exc:  # SMTP errors are many; retry any of them
        if attempt >= MAX_ATTEMPTS:
            log.error("invitation %s failed for good: %s", participant_id, exc)
            raise
        send_invitation.using(run_after=timezone.now() + datetime.timedelta(minutes=2 ** attempt)).enqueue(
            participant_id=participant_id, attempt=attempt + 1)
