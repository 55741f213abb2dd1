"""Downloads: document versions, filing receipts and the signed decision. Always as
attachments, never sniffed, never cached by shared caches; access through the domain selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rokhas.decisions.documents import receipt_pdf
from rokhas.decisions.models import Decision
from rokhas.dossiers.selectors import document_version_for
from rokhas.payments.selectors import unpaid_before_delivery

from ..helpers import visible_or_404


def _harden(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _stream(name: str, *, filename: str, content_type: str) -> FileResponse:
    try:
        fh = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return _harden(FileResponse(fh, as_attachment=True, filename=filename, content_type=content_type))


@login_required
@require_GET
def document_download(request, pk: int, version_id: int):
    dossier = visible_or_404(request.user, pk)
    version = document_version_for(request.user, dossier, version_id)
    if version is None:
        raise Http404
    return _stream(version.storage_name, filename=version.original_name, content_type=version.content_type)


@login_required
@require_GET
def receipt_download(request, pk: int, number: int):
    dossier = visible_or_404(request.user, pk)
    if not dossier.reference or not dossier.rounds.filter(number=number).exists():
        raise Http404
    pdf = receipt_pdf(dossier, number)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{dossier.reference}-{number}.pdf"'
    return _harden(response)


@login_required
@require_GET
def decision_download(request, pk: int):
    dossier = visible_or_404(request.user, pk)
    decision = Decision.objects.filter(dossier=dossier).first()
    if decision is None:
        raise Http404
    unpaid = unpaid_before_delivery(request.user, dossier)  # the permit is delivered once its fees are paid
    if unpaid is not None:
        return render(request, "web/payments/pay_first.html", {"dossier": dossier, "invoice": unpaid}, status=402)
    kind = "certificate" if decision.outcome == Decision.Outcome.TACIT_APPROVAL else "decision"
    return _stream(decision.storage_name, filename=f"{kind}-{dossier.reference}.pdf", content_type="application/pdf")
