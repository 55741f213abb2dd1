"""Bad catalogue data is refused with a clear message saying where the fault is, and nothing
is written."""

from __future__ import annotations

import copy
import json

import pytest

from rokhas.catalogue.loading import DATA_DIR, load_procedure, read_json, shared_document_types
from rokhas.catalogue.models import DocumentType, Procedure
from rokhas.catalogue.validation import CatalogueError

GOOD = read_json(DATA_DIR / "morceler.json")


def _bad(change) -> dict:
    data = copy.deepcopy(GOOD)
    data["code"] = "morceler-test"
    change(data)
    return data


def _v(data):
    return data["versions"][0]


CASES = {
    "unknown organisation kind": (
        lambda d: _v(d)["classes"][0]["seats"].append({"organisation_kind": "martians", "days": 3}),
        "versions[0].classes[0].seats[4].organisation_kind: 'martians' is not an organisation kind"),
    "unknown document": (lambda d: _v(d)["documents"].append("passport-of-the-moon"),
                         "unknown document type 'passport-of-the-moon'"),
    "misspelt key": (lambda d: _v(d).update({"efective_from": "2024-01-01"}), "unknown key 'efective_from'"),
    "bad date": (lambda d: _v(d).update({"effective_from": "01/07/2023"}), "effective_from: a date YYYY-MM-DD"),
    "end before start": (lambda d: _v(d).update({"effective_to": "2020-01-01"}), "effective_to"),
    "no default class": (lambda d: _v(d)["classes"][0].update(
        {"criteria": [{"field": "parts", "op": "gt", "value": 2, "why_fr": "x", "why_ar": "س"}]}),
        "exactly one class without criteria"),
    "criterion on unknown field": (lambda d: _v(d)["classes"].insert(0, {
        **copy.deepcopy(_v(d)["classes"][0]), "code": "x",
        "criteria": [{"field": "height", "op": "gt", "value": 9, "why_fr": "x", "why_ar": "س"}]}),
        "criteria[0].field: 'height' is not a field of the form"),
    "unknown operator": (lambda d: _v(d)["documents"].append(
        {"code": "plan-situation", "when": {"field": "parts", "op": "approx", "value": 3}}), "'approx' is not one of"),
    "sub-deadline beyond the deadline": (lambda d: _v(d)["classes"][0]["seats"][0].update(
        {"days": 45, "day_kind": "calendar"}), "the sub-deadline exceeds the class's deadline (30)"),
    "no appeal text": (lambda d: _v(d).pop("appeal_ar"), "versions[0].appeal_ar: required text"),
    "bad silence rule": (lambda d: _v(d)["classes"][0].update({"silence_rule": "maybe"}), "silence_rule"),
    "no commission": (lambda d: _v(d)["classes"][0].update({"seats": []}), "at least one body must examine"),
    "declaration with a commission": (lambda d: _v(d)["classes"][0].update({"declaration_only": True}),
                                      "a simple-declaration class has no commission"),
    "choice without choices": (lambda d: _v(d)["form_schema"].append(
        {"name": "zone", "type": "choice", "label_fr": "Zone", "label_ar": "المنطقة"}), "form_schema[5].choices"),
    "duplicate version": (lambda d: d["versions"].append(copy.deepcopy(_v(d))), "versions[1].version: 1 appears twice"),
    "bad prefix": (lambda d: d.update({"reference_prefix": "mr-1"}), "reference_prefix"),
    "value_from with eq": (lambda d: _v(d)["documents"].append(
        {"code": "plan-situation", "when": {"field": "parts", "op": "eq", "value_from": "activities"}}),
        "value_from: a list source name, with op 'in'"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_bad_data_is_refused_and_nothing_is_written(name, tmp_path):
    change, expected = CASES[name]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_bad(change), ensure_ascii=False), encoding="utf-8")
    documents_before = DocumentType.objects.count()
    with pytest.raises(CatalogueError) as caught:
        load_procedure(path, shared_types=shared_document_types())
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems
    assert caught.value.source == "bad.json"
    assert not Procedure.objects.filter(code="morceler-test").exists()
    assert DocumentType.objects.count() == documents_before


@pytest.mark.django_db
def test_the_unchanged_copy_loads(tmp_path):
    path = tmp_path / "good.json"
    path.write_text(json.dumps(_bad(lambda d: None), ensure_ascii=False), encoding="utf-8")
    procedure, notes = load_procedure(path, shared_types=shared_document_types())
    assert procedure.code == "morceler-test" and notes == ["morceler-test v1 loaded"]


@pytest.mark.django_db
def test_every_fault_is_listed_at_once(tmp_path):
    def many(d):
        d.pop("name_ar")
        _v(d)["classes"][0]["day_kind"] = "someday"
        _v(d)["documents"].append("nope")

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_bad(many)), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_procedure(path, shared_types=shared_document_types())
    assert len(caught.value.problems) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_unreadable_file_is_refused(tmp_path, content):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError, match="broken.json"):
        load_procedure(path, shared_types=shared_document_types())
