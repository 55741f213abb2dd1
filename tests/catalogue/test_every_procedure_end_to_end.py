"""Every procedure of the catalogue carried through the domain services from a draft to its end
state: a simple declaration is closed by its receipt; every other file is filed, dispatched to
exactly the commission its class names (each body with its own sub-deadline), receives every
opinion and is granted by the president's signed decision."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rokhas.audit.models import AuditEntry
from rokhas.catalogue.classification import classify
from rokhas.decisions.models import Decision
from rokhas.demo.procedures import dispatch, file_it, fill_file, grant, opinions
from rokhas.demo.samples import SAMPLES, TELECOM_OCCUPATION
from rokhas.dossiers.models import Dossier
from rokhas.workdays.calendar import add_days

S = Dossier.Status
CASES = {code: None for code in SAMPLES} | {"occupation-domaine-public/telecom": TELECOM_OCCUPATION}


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("case", list(CASES))
def test_procedure_from_draft_to_end_state(case, signer_world, django_capture_on_commit_callbacks):
    world = signer_world
    code = case.split("/")[0]
    with django_capture_on_commit_callbacks(execute=True):
        draft = fill_file(world, code, CASES[case])
        expected_class = classify(draft.procedure_version, draft.declared).project_class
        d = file_it(world, draft)
        assert d.reference.startswith(d.procedure.reference_prefix + "-")
        assert d.project_class == expected_class
        if expected_class.declaration_only:
            assert d.status == S.DECLARED and d.closed_at is not None
            assert not d.consultations.exists()
            return
        assert d.status == S.SUBMITTED and d.legal_due_date is not None
        d = dispatch(world, d)
        seats = {s.organisation_kind: s for s in expected_class.seats.all()}
        consultations = list(d.consultations.select_related("organisation", "seat"))
        assert sorted(c.organisation.kind for c in consultations) == sorted(seats)
        for c in consultations:
            seat = seats[c.organisation.kind]
            assert c.due_date == add_days(timezone.localdate(c.dispatched_at), seat.days, seat.day_kind)
        opinions(world, d)
        d.refresh_from_db()
        assert d.status == S.IN_REVIEW
        decision = grant(world, d)
    d.refresh_from_db()
    assert d.status == S.GRANTED and decision.outcome == Decision.Outcome.GRANTED
    actions = list(AuditEntry.objects.filter(dossier_id=d.pk).values_list("action", flat=True))
    for action in ("dossier.created", "dossier.submitted", "dossier.accepted", "opinion.given", "decision.signed"):
        assert action in actions, (case, action)
