"""Filing: new application, the draft page (declared data, documents), and submission."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rokhas.activities.selectors import get_activity
from rokhas.activities.services import create_activity_draft
from rokhas.catalogue.classification import classify
from rokhas.catalogue.models import DocumentType, Procedure
from rokhas.catalogue.selectors import procedures_open_for_filing, required_documents
from rokhas.dossiers import services
from rokhas.dossiers.access import Action, can
from rokhas.dossiers.models import Dossier
from rokhas.dossiers.selectors import documents_of
from rokhas.territory.models import Commune
from rokhas.territory.selectors import get_commune, search_communes

from ..forms import ACCEPT, DeclaredForm, NewDossierForm, UploadForm
from ..helpers import apply_validation_error, error_messages, visible_or_404
from .activities import activity_results_context

NEW_FIELDS = ("q", "commune", "commune_list", "procedure", "owner_email", "title", "activity_q", "activity")


def _all_communes():
    name = "name_ar" if (get_language() or "fr").startswith("ar") else "name_fr"
    return Commune.objects.select_related("province").order_by("province__code", name)


def _search(q: str) -> list[Commune]:
    q = (q or "")[:100]
    return search_communes(q) if q.strip() else []


@login_required
@require_http_methods(["GET", "POST"])
def new_dossier(request):
    procedures = procedures_open_for_filing(timezone.localdate())
    results: list[Commune] = []
    searched = False
    if request.method == "POST" and "search" in request.POST:
        # The no-JavaScript path of the commune search: same page, fields kept.
        form = NewDossierForm(initial={k: request.POST.get(k, "")[:300] for k in NEW_FIELDS},
                              procedures=procedures)
        results, searched = _search(request.POST.get("q", "")), True
    elif request.method == "POST":
        form = NewDossierForm(request.POST, procedures=procedures)
        if form.is_valid():
            dossier = _create(request, form)
            if dossier is not None:
                messages.success(request, _("Your draft was created. Fill in the form and add the documents."))
                return redirect("web:draft", pk=dossier.pk)
        results, searched = _search(request.POST.get("q", "")), bool(request.POST.get("q"))
    else:
        form = NewDossierForm(procedures=procedures)
    selected = (request.POST.get("commune") or request.POST.get("commune_list") or "")[:20]
    selected_commune = get_commune(selected) if selected else None
    if selected_commune and selected_commune not in results:
        results = [selected_commune, *results]
    return render(request, "web/new.html", {
        "form": form, "results": results, "searched": searched, "selected": selected,
        "all_communes": _all_communes(), **activity_results_context(request.POST),
    })


def _create(request, form: NewDossierForm) -> Dossier | None:
    data = form.cleaned_data
    commune = get_commune(form.commune_code) if form.commune_code else None
    if commune is None:
        form.add_error("commune", _("Choose the commune where the project is located."))
    owner = get_user_model().objects.filter(email__iexact=data["owner_email"], is_active=True).first()
    if owner is None:
        form.add_error("owner_email", _("No Rokhas account uses this e-mail address. The owner must first "
                                        "create an account, then you can name them here."))
    activity = get_activity(data["activity"]) if data.get("activity") else None
    if data.get("activity") and activity is None:
        form.add_error("activity", _("Choose an activity from the list."))
    procedure = Procedure.objects.filter(code=data["procedure"]).first() if data.get("procedure") else None
    if procedure is None and not data.get("activity"):
        form.add_error("procedure", _("Choose a procedure, or search your economic activity."))
    if form.errors:
        return None
    try:
        if activity is not None:  # the activity's regime decides the procedure
            return create_activity_draft(actor=request.user, commune=commune, activity=activity, owner=owner,
                                         title=data["title"])
        return services.create_draft(actor=request.user, commune=commune, procedure=procedure, owner=owner,
                                     title=data["title"])
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None


@login_required
@require_GET
def commune_search(request):
    """htmx fragment: the communes matching what was typed, as radio buttons."""
    results = _search(request.GET.get("q", ""))
    return render(request, "web/partials/commune_results.html", {
        "results": results, "searched": bool(request.GET.get("q", "").strip()),
        "selected": request.GET.get("commune", "")[:20],
    })


# --- the draft page ----------------------------------------------------------------------


def _initial(dossier: Dossier) -> dict:
    initial = {"title": dossier.title}
    for name, value in dossier.declared.items():
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        initial[name] = value
    return initial


def _bound_with_saved(dossier: Dossier) -> DeclaredForm:
    """A bound form holding the saved data, so that submission errors sit next to their fields."""
    data = {}
    for name, value in _initial(dossier).items():
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    form = DeclaredForm(dossier.procedure_version.form_schema, data)
    form.is_valid()
    return form


def render_draft(request, dossier: Dossier, *, form: DeclaredForm | None = None, upload_errors=None,
                 upload_type: str = "", submit_errors=None, status: int = 200):
    version = dossier.procedure_version
    if form is None:
        form = DeclaredForm(version.form_schema, initial=_initial(dossier))
    classification = classify(version, dossier.declared)
    required = required_documents(version, classification.project_class, dossier.declared)
    missing = {t.pk for t in services.missing_documents(dossier, classification.project_class)}
    documents = {d.document_type_id: d for d in documents_of(dossier)}
    rows = []
    for req in required:
        doc = documents.pop(req.document_type_id, None)
        versions = list(doc.versions.all()) if doc else []
        rows.append({
            "type": req.document_type, "mandatory": req.mandatory, "missing": req.document_type_id in missing,
            "current": versions[0] if versions else None, "older": versions[1:],
            "accept": ",".join(ACCEPT[f] for f in sorted(req.document_type.allowed_formats) if f in ACCEPT),
            "errors": upload_errors if upload_type == req.document_type.code else None,
        })
    others = [{"type": d.document_type, "current": next(iter(d.versions.all()), None)} for d in documents.values()]
    last_round = dossier.rounds.prefetch_related("return_reasons").order_by("-number").first()
    return render(request, "web/draft.html", {
        "dossier": dossier, "form": form, "classification": classification, "documents": rows,
        "other_documents": others,
        "upload_errors": upload_errors if upload_errors and not any(r["errors"] for r in rows) else None,
        "submit_errors": submit_errors, "token": uuid.uuid4().hex,
        "returned_round": last_round if dossier.status == Dossier.Status.RETURNED else None,
        "missing_count": len(missing),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    if request.method == "GET":
        if not can(request.user, Action.EDIT, dossier):
            return redirect("web:dossier", pk=dossier.pk)
        return render_draft(request, dossier)
    form = DeclaredForm(dossier.procedure_version.form_schema, request.POST)
    if form.is_valid():
        title = form.cleaned_data["title"] if "title" in request.POST else None
        try:
            services.update_draft(actor=request.user, dossier=dossier, title=title, declared=form.declared())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(reverse("web:draft", kwargs={"pk": dossier.pk}) + "#classification")
    return render_draft(request, dossier, form=form)


@login_required
@require_POST
def upload_document(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    code = request.POST.get("document_type", "")[:60]
    if form.is_valid():
        document_type = DocumentType.objects.filter(code=form.cleaned_data["document_type"]).first()
        if document_type is None:
            errors = [_("This document is not part of this procedure's list.")]
        else:
            try:
                version = services.attach_document(actor=request.user, dossier=dossier,
                                                   document_type=document_type, uploaded=form.cleaned_data["file"])
            except ValidationError as exc:
                errors = error_messages(exc)
            else:
                messages.success(request, format_html(
                    _("“{document}” received (version {version})."),
                    document=document_type.name, version=format_html("<bdi>{}</bdi>", version.number)))
                return redirect(reverse("web:draft", kwargs={"pk": dossier.pk}) + f"#doc-{document_type.code}")
    else:
        errors = [str(m) for field_errors in form.errors.values() for m in field_errors]
    dossier.refresh_from_db()
    return render_draft(request, dossier, upload_errors=errors, upload_type=code)


@login_required
@require_POST
def submit_dossier(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    token = request.POST.get("token", "")[:64]
    was_returned = dossier.status == Dossier.Status.RETURNED
    try:
        dossier = services.submit(actor=request.user, dossier=dossier, token=token)
    except ValidationError as exc:
        form = _bound_with_saved(dossier)
        errors = []
        if hasattr(exc, "error_dict"):
            apply_validation_error(form, exc)
            errors.append(_("Some required information is missing or wrong: see the form."))
        else:
            errors = error_messages(exc)
        return render_draft(request, dossier, form=form, submit_errors=errors)
    if was_returned:
        text = _("Your complements were sent: file {reference} is back with the single window.")
    elif dossier.status == Dossier.Status.DECLARED:
        text = _("Your declaration was recorded under number {reference}: your receipt is below. "
                 "A simple declaration is not examined.")
    else:
        text = _("Your application was filed under number {reference}. Download your receipt below.")
    messages.success(request, format_html(text, reference=format_html("<bdi>{}</bdi>", dossier.reference)))
    return redirect("web:dossier", pk=dossier.pk)
