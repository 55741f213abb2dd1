"""The activity list is validated before loading: bad entries are refused with clear messages."""

from __future__ import annotations

import json

import pytest

from rokhas.activities.loading import load_activities
from rokhas.activities.models import Activity
from rokhas.catalogue.validation import CatalogueError

GOOD = {"code": "test-activity", "name_fr": "Essai", "name_ar": "تجربة", "regime": "declaration",
        "procedure": "activite-declaration"}


@pytest.mark.parametrize("entry,expected", [
    ({**GOOD, "regime": "maybe"}, "regime"),
    ({**GOOD, "procedure": "nope"}, "'nope' is not a procedure of the catalogue"),
    ({**GOOD, "regime": "classified", "procedure": "etablissement-classe"}, "category: 2 or 3"),
    ({**GOOD, "category": 2}, "only classified establishments have a category"),
    ({**GOOD, "name_ar": ""}, "name_ar: required text"),
    ({**GOOD, "code": "Bad Code"}, "code: a slug"),
    ({**GOOD, "colour": "red"}, "unknown key 'colour'"),
])
def test_bad_entries_are_refused(catalogue, tmp_path, entry, expected):
    path = tmp_path / "activities.json"
    path.write_text(json.dumps({"activities": [entry]}, ensure_ascii=False), encoding="utf-8")
    count = Activity.objects.count()
    with pytest.raises(CatalogueError) as caught:
        load_activities(path)
    assert any(expected in p for p in caught.value.problems), caught.value.problems
    assert Activity.objects.count() == count


def test_an_activity_removed_from_the_list_is_deactivated(catalogue, tmp_path):
    path = tmp_path / "activities.json"
    path.write_text(json.dumps({"activities": [GOOD]}, ensure_ascii=False), encoding="utf-8")
    load_activities(path)
    assert list(Activity.objects.filter(active=True).values_list("code", flat=True)) == ["test-activity"]
