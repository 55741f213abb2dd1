"""Attendance is recorded per invited member (present, absent, excused) by the organiser only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rokhas.audit.models import AuditEntry
from rokhas.commission import services
from rokhas.commission.models import Participant

pytestmark = pytest.mark.django_db


def _by_user(session):
    return {p.user.username: p for p in Participant.objects.filter(session=session).select_related("user")}


def test_organiser_records_attendance(world, session):
    members = _by_user(session)
    services.record_attendance(actor=world.users["guichet"], session=session, attendance={
        members["agence.urbaine"].pk: "present", members["service.urbanisme"].pk: "present",
        members["autorite.locale"].pk: "excused", members["protection.civile"].pk: "absent"})
    after = _by_user(session)
    assert after["agence.urbaine"].attendance == "present"
    assert after["autorite.locale"].attendance == "excused"
    assert after["protection.civile"].attendance == "absent"
    assert after["protection.civile"].attendance_recorded_at is not None
    assert AuditEntry.objects.filter(action="commission.attendance_recorded").count() == 1


def test_garbage_and_strangers_are_refused_and_nothing_changes(world, session):
    members = _by_user(session)
    with pytest.raises(ValidationError):
        services.record_attendance(actor=world.users["guichet"], session=session,
                                   attendance={members["agence.urbaine"].pk: "present", 999999: "present"})
    with pytest.raises(ValidationError):
        services.record_attendance(actor=world.users["guichet"], session=session,
                                   attendance={members["agence.urbaine"].pk: "asleep"})
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=world.users["urban_agency"], session=session,
                                   attendance={members["agence.urbaine"].pk: "present"})
    assert {p.attendance for p in Participant.objects.filter(session=session)} == {"unknown"}


def test_attendance_page_form(world, session, client):
    members = _by_user(session)
    client.force_login(world.users["guichet"])
    response = client.post(f"/fr/commission/{session.pk}/attendance/",
                           {f"p-{members['agence.urbaine'].pk}": "present", f"p-{members['autorite.locale'].pk}": ""})
    assert response.status_code == 302
    assert _by_user(session)["agence.urbaine"].attendance == "present"
    page = client.get(f"/fr/commission/{session.pk}/")
    assert page.status_code == 200
    assert "visio.example.ma" in page.content.decode()
