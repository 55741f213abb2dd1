"""Invitations go by e-mail, after the commit, to the members of each file's commission:
the reviewers of the organisations consulted on the agenda's files, once each."""

import pytest
from django.core import mail

from rokhas.commission import services
from rokhas.commission.models import Participant
from tests.commission.conftest import tomorrow_at_ten

pytestmark = pytest.mark.django_db


def test_members_of_each_files_commission_are_invited_by_mail(world, petit, grand,
                                                               django_capture_on_commit_callbacks):
    guichet = world.users["guichet"]
    session = services.create_session(actor=guichet, starts_at=tomorrow_at_ten(), mode="remote",
                                       video_url="https://visio.example.ma/r/1")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invited = services.send_invitations(actor=guichet, session=session)
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    expected = {"service.urbanisme", "agence.urbaine", "autorite.locale", "protection.civile"}
    assert invited == 4
    assert {p.user.username for p in Participant.objects.filter(session=session)} == expected
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {world.users[k].email for k in ("commune_reviewer", "urban_agency", "local_authority",
                                                         "civil_protection")}
    body = mail.outbox[0].body
    assert petit.reference in body and grand.reference in body
    assert "https://visio.example.ma/r/1" in body
    assert f"/commission/{session.pk}/" in body


def test_invitations_are_sent_once_and_new_members_are_added(world, petit, in_review,
                                                             django_capture_on_commit_callbacks):
    guichet = world.users["guichet"]
    session = services.create_session(actor=guichet, starts_at=tomorrow_at_ten(), mode="in_person", place="Salle")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_invitations(actor=guichet, session=session) == 3
    from tests.conftest import GRAND_PROJET

    grand = in_review(GRAND_PROJET)
    services.add_to_agenda(actor=guichet, session=session, dossier=grand)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_invitations(actor=guichet, session=session) == 1
    assert [m.to[0] for m in mail.outbox] == [world.users["civil_protection"].email]


def test_arabic_reader_gets_an_arabic_invitation(world, petit, django_capture_on_commit_callbacks):
    reviewer = world.users["urban_agency"]
    reviewer.preferred_language = "ar"
    reviewer.save(update_fields=["preferred_language"])
    session = services.create_session(actor=world.users["guichet"], starts_at=tomorrow_at_ten(), mode="remote")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(actor=world.users["guichet"], session=session)
    message = next(m for m in mail.outbox if m.to == [reviewer.email])
    assert "/ar/commission/" in message.body
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html
