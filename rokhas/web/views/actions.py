"""Actions on a file (POST only). Each calls one domain service; the service checks access
(PermissionDenied -> the 403 page) and the data (ValidationError -> errors on the file page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rokhas.decisions import services as decisions
from rokhas.dossiers import services
from rokhas.dossiers.access import consultations_for
from rokhas.review import services as review

from ..forms import DecideForm, MessageForm, OpinionForm, ReturnForm
from ..helpers import apply_validation_error, error_messages, visible_or_404
from .files import render_detail


def _done(dossier, anchor: str = ""):
    return redirect(reverse("web:dossier", kwargs={"pk": dossier.pk}) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def accept(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    try:
        services.accept_and_dispatch(actor=request.user, dossier=dossier)
    except ValidationError as exc:
        return render_detail(request, dossier, forms={"errors": error_messages(exc)}, open_panel="check")
    messages.success(request, _("The file was accepted and sent to the commission members."))
    return _done(dossier)


@login_required
@require_POST
def return_file(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_for_complements(actor=request.user, dossier=dossier,
                                            reasons=list(form.cleaned_data["reasons"]),
                                            message=form.cleaned_data["message"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The file was returned to the applicant with your reasons."))
            return _done(dossier)
    return render_detail(request, dossier, forms={"return": form}, open_panel="check")


@login_required
@require_POST
def opinion(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    consultations = consultations_for(request.user, dossier)
    form = OpinionForm(request.POST, consultations=consultations)
    if form.is_valid():
        chosen = form.cleaned_data.get("consultation")
        consultation = next((c for c in consultations if c.pk == chosen), None) if chosen else None
        try:
            review.give_opinion(actor=request.user, dossier=dossier, consultation=consultation,
                                verdict=form.cleaned_data["verdict"], text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your opinion was recorded; everyone on the file can now read it."))
            return _done(dossier, "opinions")
    return render_detail(request, dossier, forms={"opinion": form}, open_panel="opinion")


@login_required
@require_POST
def decide(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = decisions.decide(actor=request.user, dossier=dossier, outcome=data["outcome"],
                                        conditions=data["conditions"], reasons=data["reasons"], pin=data["pin"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, format_html(
                _("The decision was signed. Verification code: {code}."),
                code=format_html("<bdi>{}</bdi>", decision.verification_code)))
            return _done(dossier, "decision")
    return render_detail(request, dossier, forms={"decide": form}, open_panel="decide")


@login_required
@require_POST
def message(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(actor=request.user, dossier=dossier, body=form.cleaned_data["body"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your message was posted."))
            return _done(dossier, "messages")
    return render_detail(request, dossier, forms={"message": form}, open_panel="messages")
