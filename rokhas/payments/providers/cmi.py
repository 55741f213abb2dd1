"""Morocco's interbank gateway (CMI, Centre Monétique Interbancaire), "3D Pay Hosting" model.

The payer's browser posts a signed form to the CMI page (clientid, oid, amount, currency 504,
okUrl, failUrl, callbackUrl, rnd, storetype 3D_PAY_HOSTING, hashAlgorithm ver3, lang…). CMI
calls callbackUrl server to server with the same fields plus ProcReturnCode, Response,
TransId… and a HASH; the merchant answers "ACTION=POSTAUTH" to capture, "APPROVED" to
acknowledge without capture, "FAILURE" on a problem. Then CMI sends the payer to okUrl/failUrl.

HASH (ver3): the parameter names sorted case-insensitively, "HASH" and "encoding" left out,
each value trimmed and escaped (\\ -> \\\\, | -> \\|), joined with "|", then "|" and the escaped
store key; SHA-512, base64. Sources are cited in docs/fees.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import Answer, CallbackResult, PaymentProvider, RedirectForm, StartRequest

CURRENCY_CODES = {"MAD": "504"}
APPROVED_CODE = "00"
_EXCLUDED = {"hash", "encoding"}
_ANSWERS = {Answer.CAPTURE: "ACTION=POSTAUTH", Answer.ACKNOWLEDGE: "APPROVED", Answer.REFUSE: "FAILURE"}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def cmi_hash(params: Mapping[str, str], store_key: str) -> str:
    names = sorted((n for n in params if n.lower() not in _EXCLUDED), key=str.lower)
    plain = "|".join(_escape(str(params[n]).strip()) for n in names) + "|" + _escape(store_key)
    return base64.b64encode(hashlib.sha512(plain.encode("utf-8")).digest()).decode("ascii")


def hash_matches(params: Mapping[str, str], store_key: str) -> bool:
    given = str(params.get("HASH", "") or "")
    expected = cmi_hash(params, store_key)
    return bool(given) and hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("ascii"))


# Used only with the local test gateway (rokhas/payments/devgateway.py), never with a real store.
DEV_CLIENT_ID = "600000000"
DEV_STORE_KEY = "rokhas-local-test-gateway-key"


def config() -> dict:
    """client_id, store_key, gateway_url: from settings (CMI_* environment variables); with no
    gateway URL and the local test gateway on, the test gateway and its development key."""
    conf = dict(settings.ROKHAS_CMI)
    if not conf.get("gateway_url"):
        if not settings.ROKHAS_DEV_GATEWAY:
            raise ImproperlyConfigured("CMI_GATEWAY_URL is not set and the local test gateway is off.")
        conf["gateway_url"] = settings.SITE_URL.rstrip("/") + "/dev-gateway/"
        conf["client_id"] = conf.get("client_id") or DEV_CLIENT_ID
        conf["store_key"] = conf.get("store_key") or DEV_STORE_KEY
    if not conf.get("client_id") or not conf.get("store_key"):
        raise ImproperlyConfigured("CMI_CLIENT_ID and CMI_STORE_KEY must be set.")
    return conf


class CmiProvider(PaymentProvider):
    name = "cmi"

    def start(self, request: StartRequest) -> RedirectForm:
        conf = config()
        fields = {
            "clientid": conf["client_id"], "oid": request.order_id, "amount": request.amount,
            "currency": CURRENCY_CODES[request.currency], "okUrl": request.ok_url, "failUrl": request.fail_url,
            "callbackUrl": request.callback_url, "shopurl": request.shop_url, "TranType": "PreAuth",
            "storetype": "3D_PAY_HOSTING", "hashAlgorithm": "ver3", "lang": request.lang if request.lang in
            ("fr", "ar", "en") else "fr", "rnd": secrets.token_hex(10), "refreshtime": "5", "encoding": "UTF-8",
            "BillToName": request.payer_name[:60], "email": request.payer_email[:64],
        }
        fields["HASH"] = cmi_hash(fields, conf["store_key"])
        return RedirectForm(url=conf["gateway_url"], fields=fields)

    def verify_callback(self, params: Mapping[str, str]) -> CallbackResult:
        conf = config()
        get = lambda name: str(params.get(name, "") or "").strip()  # noqa: E731
        code = get("ProcReturnCode")
        return CallbackResult(
            authentic=hash_matches(params, conf["store_key"]) and get("clientid") == conf["client_id"],
            order_id=get("oid"), amount=get("amount"), currency=get("currency"),
            approved=code == APPROVED_CODE, transaction_id=get("TransId"), response_code=code,
            response={k: get(k)[:200] for k in ("ProcReturnCode", "Response", "TransId", "AuthCode", "mdStatus",
                                                 "ErrMsg", "EXTRA.TRXDATE") if get(k)},
        )

    def answer(self, answer: Answer) -> str:
        return _ANSWERS[answer]
