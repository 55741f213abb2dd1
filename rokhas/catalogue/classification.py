"""Which class (petits / grands projets) a file falls in, and why.

Criteria are data on ProjectClass: [{"field", "op": gt|gte|lt|lte|eq|in|true, "value",
"why_fr", "why_ar"}]; instead of "value", an "in" may name a list kept elsewhere with
"value_from" (e.g. "activities:classified-2": the activities of the 2nd category), so that the
class follows from the catalogue's data and not from what the applicant types. The applicant is shown the `why` of each criterion that matched.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from rokhas.core.bilingual import is_arabic

from .declared_data import choices_of
from .models import ProcedureVersion, ProjectClass

_OPS = {
    "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le,
    "eq": operator.eq, "in": lambda a, b: a in b, "true": lambda a, _b: bool(a),
}


@dataclass(frozen=True)
class Classification:
    project_class: ProjectClass
    reasons: tuple[dict, ...]  # the criteria that matched, with why_fr / why_ar

    @property
    def why(self) -> list[str]:
        lang = "ar" if is_arabic() else "fr"
        return [r.get(f"why_{lang}") or r.get("why_fr", "") for r in self.reasons]


def matches(criterion: dict, data: dict) -> bool:
    """Whether the declared data meet one condition (class criterion or document condition)."""
    value = data.get(criterion["field"])
    if value is None:
        return False
    expected = criterion.get("value")
    if criterion.get("value_from"):  # a list kept elsewhere, e.g. the 2nd-category activities
        expected = [choice[0] for choice in choices_of({"choices_from": criterion["value_from"]})]
    try:
        return bool(_OPS[criterion.get("op", "eq")](value, expected))
    except TypeError:
        return False


def classify(version: ProcedureVersion, data: dict) -> Classification:
    classes = list(version.classes.all())
    for cls in classes:
        matched = tuple(c for c in cls.criteria if matches(c, data))
        if cls.criteria and matched:
            return Classification(cls, matched)
    default = next((c for c in classes if not c.criteria), None)
    if default is None:
        raise ValueError(f"{version} has no default class")
    return Classification(default, ())
