"""The session pages given garbage, oversized or missing values: a translated message next to
the field or at the top, never a 500, nothing written."""

import pytest

from rokhas.commission.models import AgendaItem, Session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("data", [
    {},
    {"starts_at": "not a date", "mode": "remote"},
    {"starts_at": "2030-01-07T10:00", "mode": "teleport"},
    {"starts_at": "2030-01-07T10:00", "mode": "in_person", "place": ""},
    {"starts_at": "2030-01-07T10:00", "mode": "remote", "video_url": "http://insecure.example.ma/room"},
    {"starts_at": "2030-01-07T10:00", "mode": "hybrid", "place": "x" * 5000},
])
def test_bad_session_form(world, client, data):
    client.force_login(world.users["guichet"])
    response = client.post("/fr/commission/new/", data)
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode() or 'data-testid="form-errors"' in response.content.decode()
    assert not Session.objects.exists()


def test_bad_agenda_and_attendance_posts(world, session, client):
    client.force_login(world.users["guichet"])
    base = f"/fr/commission/{session.pk}/"
    before = list(AgendaItem.objects.filter(session=session).values_list("dossier_id", "position"))
    for data in ({"op": "add", "reference": "PC-NOPE"}, {"op": "explode", "dossier": "1"},
                 {"op": "remove", "dossier": "9" * 40}, {"op": "add"}):
        response = client.post(base + "agenda/", data)
        assert response.status_code == 400, data
        assert 'data-testid="action-errors"' in response.content.decode()
    assert list(AgendaItem.objects.filter(session=session).values_list("dossier_id", "position")) == before
    response = client.post(base + "attendance/", {"p-999999": "present", "p-" + "9" * 40: "present"})
    assert response.status_code == 400
    response = client.post(base + "minutes/")
    assert response.status_code == 400  # attendance not recorded: a message, no minutes
    session.refresh_from_db()
    assert session.status == "scheduled" and not session.minutes_storage_name
