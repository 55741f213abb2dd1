"""Fees pages: paying a file's invoice, payment receipts, and the cashier's view of a commune.
Access is decided by rokhas.payments.access; the services and selectors do the work."""

from __future__ import annotations

import urllib.parse

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from rokhas.payments import selectors, services
from rokhas.payments.access import Action, require
from rokhas.payments.receipts import receipt_pdf
from rokhas.territory.models import Commune

from ..helpers import error_messages, visible_or_404
from .downloads import _harden


@login_required
@require_POST
def pay(request, pk: int):
    """Open a payment of the file's outstanding invoice and send the payer to the gateway."""
    dossier = visible_or_404(request.user, pk)
    require(request.user, Action.PAY, dossier=dossier)
    invoice = selectors.outstanding(dossier).first()
    back = reverse("web:dossier", kwargs={"pk": dossier.pk}) + "#fees"
    if invoice is None:
        messages.info(request, _("Nothing is left to pay on this file."))
        return redirect(back)
    try:
        started = services.start_payment(actor=request.user, invoice=invoice, lang=translation.get_language())
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect(back)
    response = render(request, "web/payments/redirect.html", {"dossier": dossier, "invoice": invoice,
                                                              "form": started.form})
    # The browser posts the signed form to the gateway's own site.
    parts = urllib.parse.urlsplit(started.form.url)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


@login_required
@require_GET
def payment_receipt(request, pk: int, id: int):
    dossier = visible_or_404(request.user, pk)
    payment = selectors.payment_for(request.user, dossier, id)
    if payment is None:
        raise Http404
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{payment.receipt_number}.pdf"'
    return _harden(response)


class PeriodForm(forms.Form):
    commune = forms.CharField(required=False, max_length=20)
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError(_("The end of the period is before its start."))
        if start and end and (end - start).days > 3660:
            raise ValidationError(_("Choose a period of at most ten years."))
        return data


@login_required
@require_GET
def cashier(request):
    """What a commune collected, by procedure and period, with totals (the commune's staff)."""
    communes = list(selectors.communes_for_cashier(request.user)[:200])
    if not communes:
        raise PermissionDenied(_("You can only see the payments collected by your own commune."))
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end, code = today.replace(day=1), today, communes[0].code
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        code = form.cleaned_data["commune"] or code
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        raise Http404
    require(request.user, Action.CASHIER, commune=commune)
    return render(request, "web/payments/cashier.html", {
        "form": form, "communes": communes, "commune": commune,
        "collected": selectors.collected(commune, start, end) if not form.errors else None,
        "start": start, "end": end})
