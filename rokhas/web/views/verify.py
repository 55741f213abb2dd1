"""Public verification of a decision, by its code or by uploading the PDF. No sign-in; shows
what the decision is (reference, procedure, commune, outcome, date, signer) and NO personal
data of the applicant or owner (law 09-08)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rokhas.decisions import verification_limit
from rokhas.decisions.services import normalise_code, verify_code, verify_pdf_bytes

from ..forms import VerifyCodeForm, VerifyPdfForm

MAX_CODE = 40


def _public(decision) -> dict | None:
    """The public facts of a decision: nothing about the applicant or the owner."""
    if decision is None:
        return None
    dossier = decision.dossier
    arabic = (get_language() or "fr").startswith("ar")
    return {
        "reference": dossier.reference,
        "procedure": dossier.procedure_version.procedure.name,
        "commune": dossier.commune.name,
        "outcome": decision.get_outcome_display(),
        "outcome_code": decision.outcome,
        "decided_at": decision.decided_at,
        "signer_name": decision.signer_name,
        "signer_title": (decision.signer_title_ar if arabic else decision.signer_title_fr) or decision.signer_title_fr,
        "code": decision.verification_code,
    }


def _page(request, ctx: dict, status: int = 200):
    ctx.setdefault("code_form", VerifyCodeForm())
    ctx.setdefault("pdf_form", VerifyPdfForm())
    ctx["max_bytes"] = settings.ROKHAS_UPLOAD_MAX_BYTES
    response = render(request, "web/verify.html", ctx, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def _throttled(request):
    """The page with a translated 429 when this address verified too often."""
    ok, wait = verification_limit.allowed(request)
    if ok:
        return None
    return _page(request, {"throttled": _("Too many verifications from your connection. Try again in %(seconds)d "
                                          "seconds.") % {"seconds": wait}}, status=429)


@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method == "GET":
        if "code" not in request.GET:
            return _page(request, {})
        form = VerifyCodeForm(request.GET)
        if form.is_valid():
            code = normalise_code(form.cleaned_data["code"])
            if code:
                return redirect("verify-code", code=code)
            form.add_error("code", _("Type the code printed under the QR code of the document."))
        return _page(request, {"code_form": form})
    if (refused := _throttled(request)) is not None:
        return refused
    form = VerifyPdfForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, {"pdf_form": form})
    limit = settings.ROKHAS_UPLOAD_MAX_BYTES
    uploaded = form.cleaned_data["pdf"]
    content = b"" if uploaded.size > limit else uploaded.read(limit + 1)
    if uploaded.size > limit or len(content) > limit:
        form.add_error("pdf", _("The file is too large (at most %(limit)s).") % {"limit": filesizeformat(limit)})
        return _page(request, {"pdf_form": form})
    decision, report = verify_pdf_bytes(content)
    return _page(request, {
        "mode": "pdf", "result": _public(decision), "report": report,
        "authentic": decision is not None and report.valid,
        "file_name": uploaded.name[:150],
    })


@require_http_methods(["GET"])
def verify_code_page(request, code: str):
    if (refused := _throttled(request)) is not None:
        return refused
    decision = verify_code(code) if len(code) <= MAX_CODE else None
    return _page(request, {
        "mode": "code", "result": _public(decision), "authentic": decision is not None,
        "typed_code": code[:MAX_CODE], "code_form": VerifyCodeForm(initial={"code": code[:MAX_CODE]}),
    })
