"""Which RFC 3161 time-stamping authority stamps our signatures.

Development and tests: an in-process TSA (pyHanko's DummyTimeStamper) signing with the dev
PKI's TSA certificate — no network, no daemon, yet a real, verifiable token.
Production: settings.ROKHAS_TSA_URL points to a real TSA (e.g. the one of the national trust
service provider), queried over HTTP.
"""

from __future__ import annotations

import datetime as dt

from asn1crypto import cms, core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.sign import general
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from . import pki


class LocalTimeStamper(DummyTimeStamper):
    """DummyTimeStamper holding its parsed RSA key.

    The parent re-parses the key for each token, and parsing an RSA-3072 key re-runs
    OpenSSL's key check (~150 ms). Same token format as the parent (pyHanko 0.38).
    """

    def __init__(self, *, pyca_key: RSAPrivateKey, **kwargs) -> None:
        super().__init__(**kwargs)
        self._pyca_key = pyca_key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str,
                       dt: dt.datetime) -> tuple[bytes, cms.CMSAttributes]:
        md = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        md.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            general.simple_cms_attribute("content_type", "tst_info"),
            general.simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            general.simple_cms_attribute("signing_certificate",
                                         general.as_signing_certificate(self.tsa_cert)),
            general.simple_cms_attribute("message_digest", md.finalize()),
        ])
        signature = self._pyca_key.sign(signed_attrs.dump(), PKCS1v15(),
                                        get_pyca_cryptography_hash(md_algorithm.upper()))
        return signature, signed_attrs


# One local stamper per version of the TSA certificate file.
_local_cache: dict[tuple[str, int], LocalTimeStamper] = {}


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
    stamper = _local_cache.get(key)
    if stamper is None:
        tsa_cert, tsa_key = pki.load_tsa()
        if not isinstance(tsa_key, RSAPrivateKey):
            raise pki.PkiError("the development TSA key must be RSA")
        ca_cert, _ca_key = pki.load_ca()
        stamper = LocalTimeStamper(
            pyca_key=tsa_key, tsa_cert=pki.to_asn1(tsa_cert), tsa_key=translate_pyca_cryptography_key_to_asn1(tsa_key),
            # Embed the CA too, so a validator holding only the root can build the TSA's path.
            certs_to_embed=SimpleCertificateStore.from_certs([pki.to_asn1(ca_cert)]),
        )
        _local_cache.clear()
        _local_cache[key] = stamper
    return stamper
