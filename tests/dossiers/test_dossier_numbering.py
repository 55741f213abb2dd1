"""File numbers: unique per commune and year, gap-free, one number per file."""

import pytest
from django.core.exceptions import PermissionDenied

from rokhas.dossiers import services


def test_numbers_follow_each_other_per_commune(world, file_dossier):
    a = file_dossier()
    b = file_dossier()
    c = file_dossier(commune=world.other_commune)
    assert (a.sequence, b.sequence) == (1, 2)
    assert c.sequence == 1  # another commune counts on its own
    assert a.reference.startswith(f"PC-{world.commune.code}-{a.year}-")
    assert a.reference != b.reference


def test_double_submit_same_token_gives_one_number(world, file_dossier):
    d = file_dossier()
    again = services.submit(actor=world.users["architect"], dossier=d, token=d.submit_token)
    assert again.reference == d.reference
    assert again.rounds.count() == 1
    assert d.commune.dossiercounter_set.get().last == 1


def test_double_submit_without_token_is_refused_not_renumbered(world, file_dossier):
    d = file_dossier()
    with pytest.raises(PermissionDenied):
        services.submit(actor=world.users["architect"], dossier=d, token="another")
    d.refresh_from_db()
    assert d.sequence == 1 and d.rounds.count() == 1
