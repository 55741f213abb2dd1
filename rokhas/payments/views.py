"""The gateway's entry points (no language prefix, no session): the server-to-server callback
and the payer's return (okUrl / failUrl). The callback's signature decides, not a login; the
return changes nothing — only the signed callback counts a payment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services

_MAX_FIELDS = 60


@csrf_exempt  # server to server: authenticated by the HASH, not by a session
@require_POST
def callback(request, provider: str):
    params = {key: request.POST.get(key, "") for key in list(request.POST.keys())[:_MAX_FIELDS]}
    try:
        outcome = services.handle_callback(provider_name=provider, params=params)
    except ValidationError:
        raise Http404 from None
    status = 403 if outcome.reason == "bad_signature" else 200
    response = HttpResponse(outcome.body, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # the gateway posts the payer's browser back here, from its own site
@require_http_methods(["GET", "POST"])
def payer_return(request, outcome: str):
    if outcome not in ("ok", "fail"):
        raise Http404
    order_id = (request.POST.get("oid") or request.GET.get("oid") or "").strip()
    payment = selectors.payment_by_order(order_id) if order_id else None
    if payment is None:
        return HttpResponseRedirect(reverse("web:home"))
    target = reverse("web:dossier", kwargs={"pk": payment.invoice.dossier_id})
    return _see_other(f"{target}?payment={outcome}#fees")


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response
