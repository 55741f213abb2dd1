"""A commission member's worklist holds the consultations of files still under review: the
decision closes them (the `open` flag that the worklist's partial index is built on)."""

from rokhas.decisions.services import decide
from rokhas.demo.seed import DEMO_PIN
from rokhas.dossiers import services
from rokhas.review.models import Consultation
from rokhas.review.selectors import pending_consultations
from rokhas.review.services import give_opinion


def test_the_decision_closes_the_consultations_and_empties_the_worklist(signer_world, file_dossier):
    world = signer_world
    agency = world.users["urban_agency"]
    d = file_dossier()
    assert list(pending_consultations(agency)) == []
    services.accept_and_dispatch(actor=world.users["guichet"], dossier=d)
    pending = list(pending_consultations(agency))
    assert [c.dossier_id for c in pending] == [d.pk] and pending[0].open
    give_opinion(actor=agency, dossier=d, verdict="favorable", text="")
    assert [c.dossier_id for c in pending_consultations(agency)] == [d.pk]  # still under review
    assert pending_consultations(agency)[0].current_opinion.verdict == "favorable"
    decide(actor=world.users["president"], dossier=d, outcome="granted", pin=DEMO_PIN)
    assert not Consultation.objects.filter(dossier=d, open=True).exists()
    assert list(pending_consultations(agency)) == []


def test_worklist_is_most_urgent_first_and_scoped_to_the_organisation(world, file_dossier):
    first, second = file_dossier(), file_dossier()
    for d in (second, first):
        services.accept_and_dispatch(actor=world.users["guichet"], dossier=d)
    Consultation.objects.filter(dossier=second).update(due_date="2030-01-01")
    ids = [c.dossier_id for c in pending_consultations(world.users["urban_agency"])]
    assert ids == [first.pk, second.pk]
    assert list(pending_consultations(world.users["architect"])) == []
