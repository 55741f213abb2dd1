"""A member invited to the session but not on a file's commission cannot join that file's
discussion, annotate it, or give an opinion on it; strangers do not even see the session."""

import pytest
from django.core.exceptions import PermissionDenied

from rokhas.commission import access, services
from rokhas.commission.access import Action
from rokhas.commission.models import Annotation, Participant
from tests.commission.conftest import first_version

pytestmark = pytest.mark.django_db


def test_civil_protection_is_invited_for_the_grand_projet_only(world, session, petit, grand, client):
    civil = world.users["civil_protection"]
    assert Participant.objects.filter(session=session, user=civil).exists()
    assert access.can(civil, Action.DISCUSS, session, grand)
    assert not access.can(civil, Action.DISCUSS, session, petit)
    with pytest.raises(PermissionDenied):
        services.annotate(actor=civil, session=session, dossier=petit, version=first_version(petit), page=1,
                          x=0.5, y=0.5, text="Issue de secours ?")
    with pytest.raises(PermissionDenied):
        services.give_opinion_in_session(actor=civil, session=session, dossier=petit, verdict="favorable", text="")
    assert not Annotation.objects.exists()
    client.force_login(civil)
    base = f"/fr/commission/{session.pk}/files/{petit.pk}/"
    assert client.get(base).status_code == 404  # the file itself is not visible to civil protection
    assert client.post(base + "annotations/", {"version": first_version(petit).pk, "page": 1, "x": 0.1,
                                               "y": 0.1, "text": "x"}).status_code == 404
    assert client.get(f"/fr/commission/{session.pk}/files/{grand.pk}/").status_code == 200


def test_member_of_another_file_who_sees_the_file_is_refused_with_a_reason(world, session, petit, client):
    """A new round of the petit projet without the urban agency's consultation: the agency still
    sees the file (its earlier consultation) but is no longer on its commission."""
    from rokhas.dossiers.access import visible_dossiers

    agency = world.users["urban_agency"]
    petit.rounds.create(number=2, submitted_at=petit.filed_at, submitted_by=world.users["architect"])
    assert visible_dossiers(agency).filter(pk=petit.pk).exists()
    assert not access.can(agency, Action.DISCUSS, session, petit)
    client.force_login(agency)
    response = client.get(f"/fr/commission/{session.pk}/files/{petit.pk}/")
    assert response.status_code == 403


def test_stranger_does_not_see_the_session(world, session, client):
    client.force_login(world.users["other_guichet"])
    assert client.get(f"/fr/commission/{session.pk}/").status_code == 404
    client.force_login(world.users["owner"])
    assert client.get(f"/fr/commission/{session.pk}/").status_code == 404
