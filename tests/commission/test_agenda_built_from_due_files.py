"""The agenda is built automatically from the files under review whose opinions are due,
most urgent first, in the organiser's scope only; the agent can adjust it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rokhas.commission import selectors, services
from rokhas.commission.models import Session
from rokhas.review.models import Consultation
from rokhas.review.services import give_opinion
from tests.commission.conftest import tomorrow_at_ten

pytestmark = pytest.mark.django_db


def _schedule(world, who="guichet"):
    return services.create_session(actor=world.users[who], starts_at=tomorrow_at_ten(), mode="in_person",
                                   place="Salle 2")


def test_agenda_lists_due_files_most_urgent_first(world, in_review, file_dossier, territory):
    a, b = in_review(), in_review()
    Consultation.objects.filter(dossier=a).update(due_date=datetime.date.today() + datetime.timedelta(days=9))
    Consultation.objects.filter(dossier=b).update(due_date=datetime.date.today() + datetime.timedelta(days=2))
    far = in_review()
    Consultation.objects.filter(dossier=far).update(due_date=datetime.date.today() + datetime.timedelta(days=400))
    filed_only = file_dossier()  # not dispatched: no opinion is due
    other_commune = file_dossier(commune=territory["temara"])
    session = _schedule(world)
    refs = [item.dossier_id for item in selectors.agenda(session)]
    assert refs == [b.pk, a.pk]
    assert far.pk not in refs and filed_only.pk not in refs and other_commune.pk not in refs
    assert selectors.agenda(session)[0].due_date == datetime.date.today() + datetime.timedelta(days=2)


def test_answered_files_and_files_on_another_open_session_are_left_out(world, in_review):
    answered, postponed, waiting = in_review(), in_review(), in_review()
    for key in ("commune_reviewer", "urban_agency", "local_authority"):
        give_opinion(actor=world.users[key], dossier=answered, verdict="favorable", text="")
    give_opinion(actor=world.users["urban_agency"], dossier=postponed, verdict="ajourne", text="Plans de façade")
    first = _schedule(world)
    assert {i.dossier_id for i in selectors.agenda(first)} == {postponed.pk, waiting.pk}
    second = _schedule(world)
    assert selectors.agenda(second) == []  # already on the first open session's agenda


def test_agenda_query_count_does_not_grow_with_files(world, in_review):
    for _ in range(3):
        in_review()
    session = Session.objects.create(organisation=world.orgs["commune"], starts_at=tomorrow_at_ten(),
                                     created_by=world.users["guichet"])
    with CaptureQueriesContext(connection) as few:
        selectors.agenda_candidates(world.orgs["commune"], until=datetime.date(2100, 1, 1), limit=50, session=session)
    for _ in range(3):
        in_review()
    with CaptureQueriesContext(connection) as more:
        rows = selectors.agenda_candidates(world.orgs["commune"], until=datetime.date(2100, 1, 1), limit=50,
                                           session=session)
    assert len(rows) == 6
    assert len(more) == len(few) == 1


def test_agent_adjusts_the_agenda(world, in_review):
    a, b = in_review(), in_review()
    session = _schedule(world)
    guichet = world.users["guichet"]
    services.remove_from_agenda(actor=guichet, session=session, dossier=a)
    assert [i.dossier_id for i in selectors.agenda(session)] == [b.pk]
    services.add_to_agenda(actor=guichet, session=session, dossier=a)
    services.move_on_agenda(actor=guichet, session=session, dossier=a, offset=-1)
    assert [i.dossier_id for i in selectors.agenda(session)] == [a.pk, b.pk]
    with pytest.raises(ValidationError):
        services.add_to_agenda(actor=guichet, session=session, dossier=a)
    with pytest.raises(PermissionDenied):
        services.remove_from_agenda(actor=world.users["other_guichet"], session=session, dossier=a)


def test_provincial_committee_schedules_for_its_small_communes(world, in_review, file_dossier, territory):
    from rokhas.accounts.models import Organisation
    from rokhas.dossiers import services as dossiers

    Organisation.objects.create(code="caidat-small", kind="local_authority", name_fr="Caïdat", name_ar="قيادة",
                                commune=territory["small"])
    small = file_dossier(commune=territory["small"])

    dossiers.accept_and_dispatch(actor=world.users["committee"], dossier=small)
    kenitra = in_review()
    session = _schedule(world, "committee")
    assert session.organisation == world.orgs["provincial_committee"]
    assert [i.dossier_id for i in selectors.agenda(session)] == [small.pk]
    assert kenitra.pk not in [i.dossier_id for i in selectors.agenda(session)]


def test_bad_session_input_is_refused_with_messages(world):
    with pytest.raises(ValidationError) as err:
        services.create_session(actor=world.users["guichet"], starts_at="tomorrow", mode="teleport",
                                video_url="javascript:alert(1)")
    assert set(err.value.message_dict) == {"starts_at", "mode", "video_url"}
    with pytest.raises(ValidationError) as err:
        services.create_session(actor=world.users["guichet"], starts_at=tomorrow_at_ten(), mode="in_person")
    assert "place" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.create_session(actor=world.users["urban_agency"], starts_at=tomorrow_at_ten(), mode="remote")
    assert not Session.objects.exists()
