"""What each official PDF shows, as plain frozen dataclasses.

Nothing here depends on Django models: the caller (the decisions / dossiers code) fills these
from its models and hands them to :mod:`rokhas.pdfs.render`. Every document is always bilingual,
so each piece of wording that exists in both languages comes as a ``*_fr`` / ``*_ar`` pair.

Sequences of rows (the documents of a receipt, the opinions of a decision) may be given as plain
tuples in the documented order; :class:`DocumentLine` and :class:`Opinion` name the positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, NamedTuple

Outcome = Literal["granted", "refused", "tacit_approval"]
OUTCOMES: tuple[str, ...] = ("granted", "refused", "tacit_approval")


@dataclass(frozen=True)
class Party:
    """A person or body named on a document (applicant, owner...)."""

    name: str
    role_fr: str
    role_ar: str


class DocumentLine(NamedTuple):
    """One filed document listed on a receipt."""

    label_fr: str
    label_ar: str
    filename: str
    sha256_short: str


class Opinion(NamedTuple):
    """The opinion of one consulted body, printed on a decision."""

    org_fr: str
    org_ar: str
    verdict_fr: str
    verdict_ar: str
    text: str


@dataclass(frozen=True, kw_only=True)
class ReceiptContext:
    """The filing receipt (récépissé de dépôt / وصل الإيداع). Keyword arguments only."""

    reference: str
    commune_fr: str
    commune_ar: str
    procedure_fr: str
    procedure_ar: str
    project_class_fr: str
    project_class_ar: str
    filed_at: datetime
    legal_deadline: date
    deadline_rule_fr: str
    deadline_rule_ar: str
    applicant: Party
    owner: Party
    documents: list[tuple[str, str, str, str]] = field(default_factory=list)
    round_number: int = 1


@dataclass(frozen=True, kw_only=True)
class DecisionContext:
    """A decision (granted / refused) or a tacit approval certificate.

    ``outcome`` is one of ``"granted"``, ``"refused"``, ``"tacit_approval"``. ``conditions`` and
    ``reasons`` are free text in either language (their direction is detected from the text).
    ``silence_rule_fr`` / ``silence_rule_ar`` only matter for ``"tacit_approval"``; ``appeal_fr`` /
    ``appeal_ar`` are printed for refusals only. Keyword arguments only.
    """

    reference: str
    commune_fr: str
    commune_ar: str
    procedure_fr: str
    procedure_ar: str
    project_class_fr: str
    project_class_ar: str
    outcome: Outcome
    decided_at: date
    signer_name: str
    signer_title_fr: str
    signer_title_ar: str
    applicant: Party
    owner: Party
    project_summary_fr: str
    project_summary_ar: str
    conditions: str = ""
    reasons: str = ""
    appeal_fr: str = ""
    appeal_ar: str = ""
    opinions: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    verification_code: str
    verification_url: str
    silence_rule_fr: str = ""
    silence_rule_ar: str = ""

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {self.outcome!r}")
