"""A local test gateway speaking CMI's 3D Pay Hosting protocol, for development and tests.

It is what the real gateway does, seen from Rokhas: it checks the merchant's signed form,
shows a payment page (card form, approve / decline), sends the signed callback server to
server to callbackUrl, reads the merchant's answer, then sends the browser to okUrl or
failUrl. Enabled only when settings.ROKHAS_DEV_GATEWAY is on (never in production). No card
data is kept or sent anywhere.
"""

from __future__ import annotations

import secrets
import urllib.parse
import urllib.request

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .providers.cmi import APPROVED_CODE, cmi_hash, config, hash_matches

# The merchant's fields the gateway echoes back in its callback (with HASH recomputed).
_ECHOED = ("clientid", "oid", "amount", "currency", "okUrl", "failUrl", "callbackUrl", "shopurl", "TranType",
           "storetype", "hashAlgorithm", "lang", "rnd", "BillToName", "email", "refreshtime")
DECLINED_CODE = "05"


def _enabled() -> None:
    if not settings.ROKHAS_DEV_GATEWAY:
        raise Http404


def _merchant_fields(post) -> dict[str, str]:
    return {name: post.get(name, "") for name in (*_ECHOED, "encoding", "HASH") if name in post}


def callback_fields(merchant: dict[str, str], *, approved: bool, store_key: str,
                    transaction_id: str | None = None) -> dict[str, str]:
    """The signed fields the gateway posts to callbackUrl for this payment attempt."""
    fields = {name: merchant[name] for name in _ECHOED if name in merchant}
    fields.update({
        "ProcReturnCode": APPROVED_CODE if approved else DECLINED_CODE,
        "Response": "Approved" if approved else "Declined",
        "mdStatus": "1", "TransId": transaction_id or f"DEV{secrets.token_hex(6).upper()}",
        "AuthCode": f"{secrets.randbelow(10**6):06d}" if approved else "",
        "EXTRA.TRXDATE": timezone.now().strftime("%Y%m%d %H:%M:%S"),
    })
    fields["HASH"] = cmi_hash(fields, store_key)
    return fields


def deliver(url: str, fields: dict[str, str]) -> str:
    """POST the callback to the merchant and return its answer (ACTION=POSTAUTH, APPROVED…)."""
    if settings.ROKHAS_DEV_GATEWAY_DELIVERY == "test_client":
        from django.test import Client  # in process, through the real URL and view (tests)

        return Client().post(urllib.parse.urlsplit(url).path, fields).content.decode()
    body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - our own callbackUrl
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            return response.read(200).decode(errors="replace")
    except OSError as exc:
        return f"FAILURE ({exc})"


def _bad_request(request, message: str) -> HttpResponse:
    return render(request, "payments/dev_gateway_error.html", {"message": message}, status=400)


@csrf_exempt  # the merchant's site posts the payer here, like it would to the real gateway
@require_POST
def payment_page(request):
    _enabled()
    merchant = _merchant_fields(request.POST)
    conf = config()
    if not hash_matches(merchant, conf["store_key"]) or merchant.get("clientid") != conf["client_id"]:
        return _bad_request(request, "Invalid merchant signature (HASH) or client id.")
    translation.activate("ar" if merchant.get("lang") == "ar" else "fr")
    return render(request, "payments/dev_gateway.html", {"merchant": merchant})


@csrf_exempt
@require_POST
def pay(request):
    _enabled()
    merchant = _merchant_fields(request.POST)
    conf = config()
    if not hash_matches(merchant, conf["store_key"]):  # the payer's browser must not alter the order
        return _bad_request(request, "Invalid merchant signature (HASH).")
    approved = request.POST.get("decision") == "approve"
    fields = callback_fields(merchant, approved=approved, store_key=conf["store_key"])
    answer = deliver(merchant.get("callbackUrl", ""), fields)
    ok = approved and answer.strip().startswith("ACTION=POSTAUTH")
    target = merchant.get("okUrl" if ok else "failUrl", "")
    response = HttpResponse(status=303)
    response["Location"] = f"{target}{'&' if '?' in target else '?'}oid={urllib.parse.quote(merchant.get('oid', ''))}"
    return response
