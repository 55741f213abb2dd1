"""Creating SignerCredential rows: dev-CA issuance, PKCS#12 import, PKCS#11 registration."""

from __future__ import annotations

import logging
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils import timezone

from . import pki
from .models import SignerCredential

logger = logging.getLogger(__name__)


def default_organisation(user) -> str:
    """The organisation named in a dev certificate: the user's first active membership, if any."""
    memberships = getattr(user, "memberships", None)
    if memberships is not None:
        membership = memberships.filter(active=True).select_related("organisation").first()
        if membership is not None:
            return membership.organisation.name_fr
    return "Rokhas"


def _create(user, cert: x509.Certificate, *, label: str, **storage: str) -> SignerCredential:
    cn_attrs = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    subject_cn = str(cn_attrs[0].value) if cn_attrs else cert.subject.rfc4514_string()
    return SignerCredential.objects.create(
        user=user, label=label or subject_cn,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        subject_cn=subject_cn, serial_number=pki.serial_hex(cert),
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc, **storage,
    )


def issue_dev_credential(user, *, pin: str, label: str = "", organisation: str = "",
                         key_type: pki.KeyType = "ec") -> SignerCredential:
    """Issue a certificate from the dev CA for `user` and register it (PKCS#12 under the PKI dir)."""
    issued = pki.issue_signer_certificate(
        full_name=user.get_full_name() or user.get_username(), cin=getattr(user, "cin", "") or "",
        email=user.email or "", organisation=organisation or default_organisation(user), pin=pin,
        key_type=key_type,
    )
    return _create(user, issued.certificate, label=label or f"{issued.subject_cn} (TEST CA)",
                   storage=SignerCredential.Storage.PKCS12, pkcs12_path=issued.pkcs12_relpath)


def import_pkcs12_credential(user, data: bytes, *, pin: str, label: str = "") -> SignerCredential:
    """Register a PKCS#12 file issued by a real CA; the file is copied, still PIN-protected."""
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, pin.encode() if pin else None)
    except ValueError as exc:
        raise pki.PkiError("cannot open the PKCS#12 file: wrong PIN or damaged file") from exc
    if key is None or cert is None:
        raise pki.PkiError("the PKCS#12 file holds no private key with its certificate")
    now = timezone.now()
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise pki.PkiError(f"the certificate is not valid now (valid {cert.not_valid_before_utc:%Y-%m-%d}"
                           f" to {cert.not_valid_after_utc:%Y-%m-%d})")
    relpath = f"signers/{pki.serial_hex(cert)}-{uuid.uuid4().hex[:8]}.p12"
    pki.atomic_write(pki.pki_dir() / relpath, data, private=True)
    return _create(user, cert, label=label, storage=SignerCredential.Storage.PKCS12, pkcs12_path=relpath)


def register_pkcs11_credential(user, *, certificate_pem: str, module: str, key_label: str,
                               token_label: str = "", label: str = "") -> SignerCredential:
    """Register a key that lives on a PKCS#11 token (smart card, HSM); nothing is copied."""
    cert = x509.load_pem_x509_certificate(certificate_pem.encode())
    return _create(user, cert, label=label, storage=SignerCredential.Storage.PKCS11,
                   pkcs11_module=module, pkcs11_token_label=token_label, pkcs11_key_label=key_label)
