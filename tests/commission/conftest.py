"""Fixtures for commission sessions: files under review (dispatched by the single window) and a
session scheduled by the Kénitra guichet, through the domain services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from rokhas.commission import services
from rokhas.dossiers import services as dossiers
from tests.conftest import GRAND_PROJET, PETIT_PROJET


@pytest.fixture
def in_review(world, file_dossier, django_capture_on_commit_callbacks):
    """A function: a filed file accepted and dispatched to its commission."""

    def _make(declared=None):
        d = file_dossier(declared=declared or PETIT_PROJET)
        with django_capture_on_commit_callbacks(execute=True):
            return dossiers.accept_and_dispatch(actor=world.users["guichet"], dossier=d)

    return _make


@pytest.fixture
def petit(in_review):
    return in_review(PETIT_PROJET)


@pytest.fixture
def grand(in_review):
    return in_review(GRAND_PROJET)


def tomorrow_at_ten() -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


@pytest.fixture
def session(world, petit, grand):
    """A session of the Kénitra guichet with both files on its agenda, members invited."""
    s = services.create_session(actor=world.users["guichet"], starts_at=tomorrow_at_ten(), mode="hybrid",
                                place="Salle du conseil", video_url="https://visio.example.ma/room-12")
    services.send_invitations(actor=world.users["guichet"], session=s)
    return s


def first_version(dossier):
    from rokhas.documents.models import DocumentVersion

    return DocumentVersion.objects.filter(document__dossier=dossier).order_by("document__document_type__code",
                                                                               "-number").first()
