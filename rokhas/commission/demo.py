"""A demo commission session (for `make run`): tomorrow at 10:00, hybrid, built by the Kénitra
guichet from the files under review, its members invited."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import services
from .models import Session


def create_demo_session(world) -> Session | None:
    if Session.objects.filter(organisation=world.orgs["commune"]).exists():
        return None
    day = timezone.localdate() + datetime.timedelta(days=1)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    session = services.create_session(actor=world.users["guichet"], starts_at=starts_at, mode="hybrid",
                                      place="Salle du conseil communal", video_url="https://visio.example.ma/kenitra")
    if session.agenda_items.exists():
        services.send_invitations(actor=world.users["guichet"], session=session)
    return session
