"""A commitment the applicant must accept (the restoration of the road after opening trenches)
is checked at submission, with a clear message; a draft may still be saved without it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from rokhas.demo.procedures import fill_file
from rokhas.demo.samples import SAMPLES
from rokhas.dossiers import services


def test_trenches_need_the_road_restoration_commitment(world):
    who, title, declared = SAMPLES["ouverture-tranchees"]
    d = fill_file(world, "ouverture-tranchees", (who, title, {**declared, "road_restoration": False}))
    assert d.declared["road_restoration"] is False  # the draft is kept
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.submit(actor=d.applicant, dossier=d)
    assert caught.value.message_dict == {"road_restoration": ["You must accept this commitment to file."]}
    d = services.update_draft(actor=d.applicant, dossier=d, title=None, declared={**declared, "road_restoration": "on"})
    assert services.submit(actor=d.applicant, dossier=d).reference.startswith("OT-")


@pytest.mark.parametrize("garbage", ["yes please", "0", "", None])
def test_anything_but_an_explicit_yes_is_no(world, garbage):
    who, title, declared = SAMPLES["ouverture-tranchees"]
    d = fill_file(world, "ouverture-tranchees", (who, title, {**declared, "road_restoration": garbage}))
    with pytest.raises(ValidationError):
        services.submit(actor=d.applicant, dossier=d)
