"""Turning domain records into readable, translated text for the pages (no rule is decided here).

The audit trail stores action codes and raw data; the timeline shows sentences. Values that
are numbers, dates or references are wrapped in <bdi> so they read correctly in Arabic.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from rokhas.accounts.models import Organisation
from rokhas.catalogue.declared_data import choice_label, field_label
from rokhas.catalogue.models import DocumentType, ReturnReason
from rokhas.decisions.models import Decision
from rokhas.dossiers.models import Dossier
from rokhas.review.models import Opinion

SENTENCES = {
    "dossier.created": gettext_lazy("%(actor)s created the draft."),
    "dossier.edited": gettext_lazy("%(actor)s changed the declared data: %(fields)s."),
    "document.uploaded": gettext_lazy("%(actor)s uploaded “%(document)s” (version %(version)s)."),
    "dossier.submitted": gettext_lazy("%(actor)s filed the application; it received the number %(reference)s."),
    "dossier.resubmitted": gettext_lazy("%(actor)s resubmitted the file with the complements (round %(round)s)."),
    "clock.started": gettext_lazy("The legal clock started: the decision is due by %(due_date)s."),
    "clock.resumed": gettext_lazy("The legal clock resumed: the decision is now due by %(due_date)s."),
    "clock.suspended": gettext_lazy("The legal clock is suspended while the file is back with the applicant."),
    "clock.overdue": gettext_lazy("The legal deadline (%(due_date)s) passed without a decision."),
    "clock.expired": gettext_lazy(
        "The legal deadline (%(due_date)s) passed without a decision: the silence of the administration "
        "means approval."),
    "dossier.accepted": gettext_lazy("%(actor)s found the file complete and accepted it (round %(round)s)."),
    "dossier.returned": gettext_lazy("%(actor)s returned the file for complements: %(reasons)s."),
    "dossier.dispatched": gettext_lazy("The file was sent to %(organisation)s for an opinion, due by %(due_date)s."),
    "opinion.given": gettext_lazy("%(organisation)s gave its opinion: %(verdict)s."),
    "decision.signed": gettext_lazy("%(actor)s signed the decision: %(outcome)s."),
    "message.posted": gettext_lazy("%(actor)s posted a message."),
    "deadline.opinion_overdue": gettext_lazy(
        "The opinion of %(organisation)s was due by %(due_date)s and has not been given; the single window "
        "was told."),
    "deadline.opinion_escalated": gettext_lazy(
        "The opinion of %(organisation)s, due by %(due_date)s, is still missing: escalated to the governor's "
        "services."),
}

DOCUMENT_CHANGES = {
    "added": pgettext_lazy("document", "added"),
    "replaced": pgettext_lazy("document", "replaced"),
    "removed": pgettext_lazy("document", "removed"),
}

STATUS_STYLE = {
    Dossier.Status.DRAFT: "neutral",
    Dossier.Status.SUBMITTED: "info",
    Dossier.Status.RETURNED: "warning",
    Dossier.Status.IN_REVIEW: "info",
    Dossier.Status.GRANTED: "success",
    Dossier.Status.REFUSED: "danger",
    Dossier.Status.TACITLY_APPROVED: "success",
    Dossier.Status.DECLARED: "success",
}

VERDICT_STYLE = {
    Opinion.Verdict.FAVORABLE: "success",
    Opinion.Verdict.FAVORABLE_RESERVES: "warning",
    Opinion.Verdict.DEFAVORABLE: "danger",
    Opinion.Verdict.AJOURNE: "neutral",
}


def bdi(value: Any) -> str:
    return format_html("<bdi>{}</bdi>", value)


def as_date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return "" if value is None else str(value)


def _label(enum, value) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


class TimelineLookups:
    """Names for the codes stored in audit data, fetched once per page."""

    def __init__(self, entries, schema: list[dict]):
        org_codes, doc_codes, reason_codes = set(), set(), set()
        for e in entries:
            data = e.data or {}
            if "organisation" in data:
                org_codes.add(str(data["organisation"]))
            if "document_type" in data:
                doc_codes.add(str(data["document_type"]))
            reason_codes.update(str(r) for r in data.get("reasons", []) or [])
        self.orgs = {o.code: o.name for o in Organisation.objects.filter(code__in=org_codes)}
        self.docs = {d.code: d.name for d in DocumentType.objects.filter(code__in=doc_codes)}
        self.reasons = {r.code: r.label for r in ReturnReason.objects.filter(code__in=reason_codes)}
        self.fields = {spec["name"]: spec for spec in schema}

    def field(self, name: str) -> str:
        if name == "title":
            return _("Project title")
        spec = self.fields.get(name)
        return field_label(spec) if spec else name


def _changed_fields(entry, lookups: TimelineLookups, shown: int = 3) -> str:
    names = [lookups.field(f) for f in (entry.changes or {})]
    if len(names) <= shown + 1:
        return ", ".join(names)
    more = len(names) - shown
    return ngettext("%(fields)s and %(count)d other field", "%(fields)s and %(count)d other fields", more) % {
        "fields": ", ".join(names[:shown]), "count": more}


def describe(entry, lookups: TimelineLookups) -> str:
    """One readable, translated sentence for an audit entry (safe HTML)."""
    data = entry.data or {}
    actor = entry.actor_label if entry.actor_label and entry.actor_label != "system" else _("Rokhas platform")
    values = {
        "actor": conditional_escape(actor),
        "fields": conditional_escape(_changed_fields(entry, lookups)),
        "document": conditional_escape(lookups.docs.get(str(data.get("document_type", "")),
                                                        data.get("document_type", ""))),
        "version": bdi(data.get("version", "")),
        "reference": bdi(data.get("reference", "")),
        "round": bdi(data.get("round", "")),
        "due_date": bdi(as_date(data.get("due_date"))),
        "organisation": conditional_escape(lookups.orgs.get(str(data.get("organisation", "")),
                                                            data.get("organisation", ""))),
        "verdict": conditional_escape(_label(Opinion.Verdict, data.get("verdict", ""))),
        "outcome": conditional_escape(_label(Decision.Outcome, data.get("outcome", ""))),
        "reasons": conditional_escape(", ".join(lookups.reasons.get(str(r), str(r))
                                                for r in data.get("reasons", []) or [])),
    }
    template = SENTENCES.get(entry.action)
    if template is None:
        return conditional_escape(entry.action)
    return mark_safe(conditional_escape(str(template)) % values)  # noqa: S308 - every value is escaped


def display_value(spec: dict | None, value: Any) -> str:
    """A declared value as the applicant typed or chose it, in the active language."""
    if value is None or value == "":
        return "—"
    if spec is None:
        return str(value)
    kind = spec.get("type")
    if kind == "bool":
        return _("yes") if value else _("no")
    if kind == "choice":
        return choice_label(spec, value)
    if kind == "decimal" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def declared_rows(dossier: Dossier) -> list[dict]:
    rows = []
    for spec in dossier.procedure_version.form_schema:
        value = dossier.declared.get(spec["name"])
        rows.append({"label": field_label(spec), "value": display_value(spec, value), "name": spec["name"]})
    return rows


def readable_changes(dossier: Dossier, changes: dict) -> dict:
    """round_changes() output with labels instead of codes."""
    specs = {spec["name"]: spec for spec in dossier.procedure_version.form_schema}
    fields = []
    for name, pair in (changes.get("fields") or {}).items():
        old, new = (list(pair) + [None, None])[:2]
        spec = specs.get(name)
        fields.append({"label": field_label(spec) if spec else name,
                       "old": display_value(spec, old), "new": display_value(spec, new)})
    codes = list((changes.get("documents") or {}).keys())
    names = {d.code: d.name for d in DocumentType.objects.filter(code__in=codes)}
    documents = [{"name": names.get(code, code), "change": DOCUMENT_CHANGES.get(what, what), "kind": what}
                 for code, what in (changes.get("documents") or {}).items()]
    return {"fields": fields, "documents": documents, "empty": not fields and not documents}
