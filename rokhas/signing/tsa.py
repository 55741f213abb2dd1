"""Which RFC 3161 time-stamping authority stamps our signatures.

Development and tests: an in-process TSA (pyHanko's DummyTimeStamper) signing with the dev
PKI's TSA certificate — no network, no daemon, yet a real, verifiable token.
Production: settings.ROKHAS_TSA_URL points to a real TSA (e.g. the one of the national trust
service provider), queried over HTTP.
"""

from __future__ import annotations

from django.conf import settings
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper, TimeStamper

from . import pki

# One dev timestamper per TSA certificate file version: loading the key costs more than signing.
_dev_cache: dict[tuple[str, int], DummyTimeStamper] = {}


def get_timestamper() -> TimeStamper:
    url = settings.ROKHAS_TSA_URL
    if url:
        return HTTPTimeStamper(url, timeout=int(getattr(settings, "ROKHAS_TSA_TIMEOUT", 10)))
    cert_path = pki.tsa_cert_path()
    try:
        key = (str(cert_path), cert_path.stat().st_mtime_ns)
    except FileNotFoundError as exc:
        raise pki.PkiError(f"no development TSA in {pki.pki_dir()}; run `manage.py rokhas_dev_pki`"
                           ) from exc
    stamper = _dev_cache.get(key)
    if stamper is None:
        tsa_cert, tsa_key = pki.tsa_key_info()
        ca_cert, _ca_key = pki.load_ca()
        # Embed the CA too, so a validator holding only the root can build the TSA's path.
        stamper = DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key,
                                   certs_to_embed=[pki.to_asn1(ca_cert)])
        _dev_cache.clear()
        _dev_cache[key] = stamper
    return stamper
