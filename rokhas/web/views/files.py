"""The file page: everything about a file for everyone who may see it, and the action panels
that rokhas.dossiers.access allows to the person looking."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rokhas.catalogue.classification import Classification
from rokhas.dossiers.access import Action, can, consultations_for, is_party
from rokhas.dossiers.models import Dossier
from rokhas.dossiers.selectors import file_contents
from rokhas.dossiers.services import round_changes
from rokhas.payments import selectors as payment_selectors

from ..forms import DecideForm, MessageForm, OpinionForm, ReturnForm
from ..helpers import visible_or_404
from ..presenters import TimelineLookups, declared_rows, describe, readable_changes


def render_detail(request, dossier: Dossier, *, forms: dict | None = None, open_panel: str = "",
                  status: int = 200):
    user = request.user
    forms = forms or {}
    contents = file_contents(dossier)
    round_rows = []
    for rnd in contents.rounds:
        changes = (readable_changes(dossier, round_changes(dossier, rnd.number, contents.rounds))
                   if rnd.number > 1 else None)
        round_rows.append({"round": rnd, "changes": changes})
    lookups = TimelineLookups(contents.timeline, dossier.procedure_version.form_schema)
    events = [{"entry": e, "sentence": describe(e, lookups)} for e in contents.timeline]
    panels = {
        "edit": can(user, Action.EDIT, dossier),
        "check": can(user, Action.CHECK, dossier),
        "opinion": can(user, Action.OPINION, dossier),
        "decide": can(user, Action.DECIDE, dossier),
        "message": can(user, Action.MESSAGE, dossier),
    }
    ctx = {
        "dossier": dossier,
        "clock": contents.clock,
        "declared": declared_rows(dossier),
        "classification_why": (Classification(dossier.project_class, tuple(dossier.classification_reasons or ())).why
                               if dossier.project_class else []),
        "documents": contents.documents,
        "rounds": round_rows,
        "last_round": contents.rounds[-1] if contents.rounds else None,
        "consultations": contents.consultations,
        "events": events,
        "dossier_messages": contents.messages,
        "decision": contents.decision,
        "panels": panels,
        "is_party": is_party(user, dossier),
        "open_panel": open_panel,
        "fees": payment_selectors.fees_panel(user, dossier),
        "delivery_blocked": payment_selectors.unpaid_before_delivery(user, dossier),
    }
    if panels["check"]:
        ctx["return_form"] = forms.get("return") or ReturnForm()
    if panels["opinion"]:
        consultations = consultations_for(user, dossier)
        ctx["opinion_form"] = forms.get("opinion") or OpinionForm(consultations=consultations)
        ctx["my_consultations"] = consultations
    if panels["decide"]:
        ctx["decide_form"] = forms.get("decide") or DecideForm()
    if panels["message"]:
        ctx["message_form"] = forms.get("message") or MessageForm()
    ctx["action_errors"] = forms.get("errors")
    return render(request, "web/dossier.html", ctx, status=status)


@login_required
@require_GET
def dossier_detail(request, pk: int):
    return render_detail(request, visible_or_404(request.user, pk))
