"""Signing PDF documents (PAdES) and checking signed ones.

sign_pdf produces PAdES B-LT signatures: CAdES-detached CMS, a signature time-stamp from the
TSA, and the certificates and CRLs needed to check it stored in the document's DSS, so that
validation works offline and after the CRL in force today has been replaced.

Both functions are synchronous; pyHanko runs its own event loop inside, so call them from a
worker task or a sync view, not from a running asyncio loop.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO

import pkcs11
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from . import pki
from .models import SignerCredential
from .tsa import get_timestamper

logger = logging.getLogger(__name__)


class _OfflineByDesignFilter(logging.Filter):
    """Drop pyHanko's per-signature warning that revocation data won't be fetched online:
    with the dev PKI (and ROKHAS_PKI_ALLOW_FETCHING off) everything needed is local on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineByDesignFilter())

# Accept certificates marked for signatures either way: qualified certificates carry
# nonRepudiation, some national cards only digitalSignature.
SIGNER_KEY_USAGE = {"non_repudiation", "digital_signature"}
KEY_USAGE_CONSTRAINTS = KeyUsageConstraints(key_usage=SIGNER_KEY_USAGE, match_all_key_usages=False)


class SigningError(Exception):
    """Signing failed. str() is the translatable `message`, fit for users; the technical
    `detail` (pyHanko, PKCS#11...) is logged, never shown."""

    def __init__(self, message: str | Promise, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        if detail:
            logger.warning("signing failed: %s (%s)", message, detail)

    def __str__(self) -> str:
        return str(self.message)


class WrongPinError(SigningError):
    pass


class CredentialUnusableError(SigningError):
    pass


# --- validation contexts -----------------------------------------------------------------

def _allow_fetching() -> bool:
    # Off by default: the dev PKI needs no network; a real deployment whose CA publishes
    # CRL/OCSP online turns it on so the revocation data can be fetched and embedded.
    return bool(getattr(settings, "ROKHAS_PKI_ALLOW_FETCHING", False))


def signing_validation_context() -> ValidationContext:
    """Trust roots + current CRLs, as used to check a signer before signing and embed the proof."""
    roots, others = pki.trust_material()
    return ValidationContext(
        trust_roots=roots, other_certs=others, crls=pki.current_crls(),
        allow_fetching=_allow_fetching(),
        # Every certificate that declares a CRL/OCSP source must have its revocation data:
        # without it the signature would not be B-LT.
        revocation_mode="hard-fail",
    )


# --- signers -----------------------------------------------------------------------------

def _cert_der(credential: SignerCredential) -> bytes:
    return credential.certificate.public_bytes(serialization.Encoding.DER)


class PreloadedKeySigner(signers.SimpleSigner):
    """SimpleSigner that keeps the parsed private key.

    pyHanko's SimpleSigner re-parses the key for every raw signature (twice per PDF: size
    estimate, then the real one), and parsing an RSA-3072 key re-runs OpenSSL's key check,
    ~150 ms each time. The key here was checked once, when the PKCS#12 file was opened.
    """

    def __init__(self, *, pyca_key: PrivateKeyTypes, **kwargs) -> None:
        super().__init__(**kwargs)
        self._pyca_key = pyca_key

    @classmethod
    def from_pyca(cls, key: PrivateKeyTypes, cert: x509.Certificate,
                  other_certs: list[asn1_x509.Certificate]) -> PreloadedKeySigner:
        return cls(
            pyca_key=key, signing_key=translate_pyca_cryptography_key_to_asn1(key),
            signing_cert=pki.to_asn1(cert), cert_registry=SimpleCertificateStore.from_certs(other_certs),
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            mechanism = ""
        key = self._pyca_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if mechanism == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
            return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)  # PSS, EdDSA...: pyHanko's own path


def _issuer_chain(cert: asn1_x509.Certificate, pool: list[asn1_x509.Certificate]) -> list[asn1_x509.Certificate]:
    """The CA certificates above `cert` found in `pool`, nearest first.

    Only these go into the CMS: a verifier needs the signer's chain, not every trust anchor
    we know (those, with the CRLs, go to the DSS when relevant).
    """
    by_subject = {c.subject.dump(): c for c in pool}
    chain: list[asn1_x509.Certificate] = []
    current = cert
    while len(chain) < 8 and current.issuer.dump() != current.subject.dump():
        issuer = by_subject.get(current.issuer.dump())
        if issuer is None or issuer in chain:
            break
        chain.append(issuer)
        current = issuer
    return chain


@contextmanager
def _open_signer(credential: SignerCredential, pin: str,
                 pool: list[asn1_x509.Certificate]) -> Iterator[signers.Signer]:
    signing_cert = asn1_x509.Certificate.load(_cert_der(credential))
    if not pin:
        raise WrongPinError(_("Enter the PIN of your signing key."))
    if credential.storage == SignerCredential.Storage.PKCS12:
        path = pki.pki_dir() / credential.pkcs12_path
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SigningError(_("The key file of this signing credential cannot be found."),
                               detail=str(exc)) from exc
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, pin.encode())
        except ValueError as exc:
            # cryptography reports a bad password and a corrupt file alike.
            raise WrongPinError(_("Wrong PIN: the signing key could not be unlocked.")) from exc
        if key is None or cert is None or cert.public_bytes(serialization.Encoding.DER) != _cert_der(credential):
            raise SigningError(_("The key file does not match the registered certificate."))
        chain = _issuer_chain(signing_cert, pool + [pki.to_asn1(c) for c in extra])
        yield PreloadedKeySigner.from_pyca(key, cert, chain)
        return

    try:
        session = open_pkcs11_session(
            credential.pkcs11_module,
            token_criteria=TokenCriteria(label=credential.pkcs11_token_label or None),
            user_pin=pin,
        )
    except (pkcs11.exceptions.PinIncorrect, pkcs11.exceptions.PinLenRange,
            pkcs11.exceptions.PinInvalid) as exc:
        raise WrongPinError(_("Wrong PIN: the signing key could not be unlocked.")) from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise WrongPinError(_("The PIN of this token is locked; contact your administrator.")) from exc
    except (pkcs11.PKCS11Error, RuntimeError, OSError) as exc:
        raise SigningError(_("The signing token could not be opened."), detail=repr(exc)) from exc
    try:
        yield PKCS11Signer(
            session, key_label=credential.pkcs11_key_label, signing_cert=signing_cert,
            ca_chain=_issuer_chain(signing_cert, pool), other_certs_to_pull=(),
            # Many tokens (SoftHSM included) only do raw CKM_ECDSA, not CKM_ECDSA_SHA256:
            # hash on the host, sign the digest on the token.
            use_raw_mechanism=signing_cert.public_key.algorithm == "ec",
        )
    finally:
        session.close()


# --- signing -----------------------------------------------------------------------------

def _bytes_reserved(signing_cert: asn1_x509.Certificate, chain: list[asn1_x509.Certificate]) -> int | None:
    """Room for the CMS blob (hex digits), computed instead of measured.

    Left to itself pyHanko sizes the blob by building a complete dummy signature first
    (a third of the signing time). With the local TSA every part is known: the certificates,
    a time-stamp token carrying the TSA and CA certificates, and a few KiB of attributes and
    signature. An external TSA's token size is unknown: there pyHanko measures.
    """
    if settings.ROKHAS_TSA_URL:
        return None
    try:
        tsa_token = pki.tsa_cert_path().stat().st_size + pki.ca_cert_path().stat().st_size  # PEM > DER
    except FileNotFoundError:
        return None
    der = len(signing_cert.dump()) + sum(len(c.dump()) for c in chain) + tsa_token
    return 2 * (der + 6144)


def _sign_once(pdf_bytes: bytes, meta: signers.PdfSignatureMetadata, signer: signers.Signer,
               bytes_reserved: int | None) -> bytes:
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SigningError(_("The document to sign is not a valid PDF file."), detail=repr(exc)) from exc
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=get_timestamper())
    return pdf_signer.sign_pdf(writer, bytes_reserved=bytes_reserved, output=BytesIO()).getvalue()


def sign_pdf(pdf_bytes: bytes, *, credential: SignerCredential, pin: str, reason: str, location: str,
             field_name: str = "Signature1", lta: bool = False) -> bytes:
    """Sign `pdf_bytes` as PAdES B-LT (B-LTA with lta=True) and return the signed PDF.

    Raises SigningError (WrongPinError, CredentialUnusableError) with a message fit for users.
    """
    if not credential.is_usable(timezone.now()):
        raise CredentialUnusableError(
            _("This signing certificate is revoked, expired or not yet valid."))
    try:
        roots, others = pki.trust_material()
        validation_context = signing_validation_context()
    except (pki.PkiError, OSError, ValueError) as exc:
        raise SigningError(_("Signing is not set up on this server."), detail=repr(exc)) from exc
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason, location=location, name=credential.subject_cn,
        md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True, use_pades_lta=lta, validation_context=validation_context,
        signer_key_usage=SIGNER_KEY_USAGE,
    )
    with _open_signer(credential, pin, roots + others) as signer:
        signing_cert = asn1_x509.Certificate.load(_cert_der(credential))
        reserved = _bytes_reserved(signing_cert, _issuer_chain(signing_cert, roots + others))
        try:
            try:
                return _sign_once(pdf_bytes, meta, signer, reserved)
            except PyHankoSigningError as exc:
                if reserved is None or "larger than expected" not in str(exc):
                    raise
                logger.warning("sign_pdf: %s; retrying with a measured size", exc)
                return _sign_once(pdf_bytes, meta, signer, None)
        except pki.PkiError as exc:  # e.g. no local TSA and no ROKHAS_TSA_URL
            raise SigningError(_("Signing is not set up on this server."), detail=repr(exc)) from exc
        except TimestampRequestError as exc:
            raise SigningError(_("The time-stamping authority could not be reached."),
                               detail=repr(exc)) from exc
        except PyHankoSigningError as exc:
            raise SigningError(_("The signature could not be created."), detail=str(exc)) from exc
        except (pkcs11.PKCS11Error, PdfError) as exc:
            raise SigningError(_("The signature could not be created."), detail=repr(exc)) from exc


# --- validation --------------------------------------------------------------------------

@dataclass(frozen=True)
class SignatureReport:
    """What a verifier needs to know about a PDF's signatures.

    Per-signature fields describe the most recent signature; `valid` and `trusted` hold only
    if they hold for every signature (and document time-stamp) in the file.
    """

    signed: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    signer_cn: str = ""
    signing_time: dt.datetime | None = None
    timestamp_present: bool = False
    ltv_embedded: bool = False
    pades_level: str = ""  # "B-B", "B-T", "B-LT", "B-LTA"; "" if not a PAdES signature
    signature_count: int = 0
    signers: tuple[str, ...] = field(default_factory=tuple)
    message: str | Promise = ""


MSG_NOT_PDF = _("This file is not a readable PDF document.")
MSG_UNSIGNED = _("This PDF document is not signed.")
MSG_BROKEN = _("The document was modified after it was signed, or the signature is damaged.")
MSG_UNTRUSTED = _("The signature is intact but its certificate is not issued by a trusted authority.")
MSG_REVOKED = _("The signer's certificate was revoked.")
MSG_BAD_TIMESTAMP = _("The time-stamp of the signature could not be verified.")
MSG_MODIFIED = _("The document was changed after signing in a way that is not allowed.")
MSG_ERROR = _("The signature could not be checked.")
MSG_VALID = _("The signature is valid and its certificate is trusted.")


@dataclass
class _Dss:
    certs: list[asn1_x509.Certificate]
    crls: list[asn1_crl.CertificateList]
    ocsps: list[asn1_ocsp.OCSPResponse]

    @property
    def has_revinfo(self) -> bool:
        return bool(self.crls or self.ocsps)


def _read_dss(reader: PdfFileReader) -> _Dss:
    dss = _Dss([], [], [])
    try:
        dss_dict = reader.root["/DSS"]
    except KeyError:
        return dss
    for key, target, loader in (("/Certs", dss.certs, asn1_x509.Certificate.load),
                                ("/CRLs", dss.crls, asn1_crl.CertificateList.load),
                                ("/OCSPs", dss.ocsps, asn1_ocsp.OCSPResponse.load)):
        for ref in dss_dict.get(key, []):
            target.append(loader(ref.get_object().data))
    return dss


def _timestamp_time(embedded_sig) -> dt.datetime | None:
    for signed_data in extract_tst_data_iter(embedded_sig.signer_info, signed=False):
        return signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def _cn(cert: asn1_x509.Certificate) -> str:
    return cert.subject.native.get("common_name", "") or cert.subject.human_friendly


def validate_pdf(pdf_bytes: bytes) -> SignatureReport:
    """Check every signature of a PDF against our trust roots, offline. Never raises."""
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        reader.root  # noqa: B018 - forces the catalog to be parsed
    except Exception as exc:  # garbage in must give a report, not a 500
        logger.info("validate_pdf: unreadable input: %r", exc)
        return SignatureReport(message=MSG_NOT_PDF)
    try:
        sigs = list(reader.embedded_signatures)
        dss = _read_dss(reader)
    except Exception as exc:  # a readable PDF whose signature dictionary or CMS blob is broken
        logger.info("validate_pdf: damaged signature: %r", exc)
        return SignatureReport(signed=True, message=MSG_BROKEN)
    regular = [s for s in sigs if s.sig_object_type == "/Sig"]
    doc_timestamps = [s for s in sigs if s.sig_object_type == "/DocTimeStamp"]
    if not regular:
        return SignatureReport(message=MSG_UNSIGNED)

    roots, others = pki.trust_material()
    current = pki.current_crls()
    all_valid = all_trusted = True
    message: str | Promise = MSG_VALID
    last: dict = {}
    try:
        for sig in regular:
            # B-LT: judge the certificate at the time-stamped signing time, with only the
            # revocation data embedded in the document — that is what makes it durable.
            # Otherwise (B-B, B-T): judge it now, with the CRLs we currently have.
            ts_time = _timestamp_time(sig) if dss.has_revinfo else None
            signer_vc = ValidationContext(
                trust_roots=roots, other_certs=others + dss.certs,
                crls=list(dss.crls) + ([] if ts_time else current), ocsps=dss.ocsps,
                moment=ts_time, allow_fetching=_allow_fetching(), revocation_mode="hard-fail",
            )
            # The TSA certificate is judged now; missing fresh revocation data is tolerated.
            ts_vc = ValidationContext(
                trust_roots=roots, other_certs=others + dss.certs, crls=list(dss.crls) + current,
                ocsps=dss.ocsps, allow_fetching=_allow_fetching(), revocation_mode="soft-fail",
            )
            status = validate_pdf_signature(sig, signer_validation_context=signer_vc,
                                            ts_validation_context=ts_vc,
                                            key_usage_settings=KEY_USAGE_CONSTRAINTS)
            ts = status.timestamp_validity
            ts_ok = ts is None or (ts.intact and ts.valid and ts.trusted)
            ok = status.bottom_line and ts_ok
            if not ok and message is MSG_VALID:  # the first problem found is the one reported
                if not (status.intact and status.valid):
                    message = MSG_BROKEN
                elif status.revoked:
                    message = MSG_REVOKED
                elif not status.trusted:
                    message = MSG_UNTRUSTED
                elif not ts_ok:
                    message = MSG_BAD_TIMESTAMP
                else:
                    message = MSG_MODIFIED
            all_valid &= ok
            all_trusted &= status.trusted
            ltv = bool(ts is not None and dss.certs and dss.has_revinfo and status.trusted)
            pades = ""
            if sig.sig_object.get("/SubFilter") == "/ETSI.CAdES.detached":
                pades = "B-LT" if ltv else ("B-T" if ts is not None else "B-B")
                if ltv and any(d.signed_revision > sig.signed_revision for d in doc_timestamps):
                    pades = "B-LTA"
            last = {
                "intact": status.intact and status.valid, "signer_cn": _cn(status.signing_cert),
                "signing_time": ts.timestamp if ts is not None else status.signer_reported_dt,
                "timestamp_present": ts is not None, "ltv_embedded": ltv, "pades_level": pades,
            }
        for doc_ts in doc_timestamps:
            ts_status = validate_pdf_timestamp(doc_ts, validation_context=ValidationContext(
                trust_roots=roots, other_certs=others + dss.certs, crls=list(dss.crls) + current,
                ocsps=dss.ocsps, allow_fetching=_allow_fetching(), revocation_mode="soft-fail"))
            if not (ts_status.intact and ts_status.valid and ts_status.trusted):
                all_valid = False
                message = MSG_BAD_TIMESTAMP if message is MSG_VALID else message
    except Exception as exc:  # malformed CMS and the like: report, don't crash the caller
        logger.warning("validate_pdf: validation failed: %r", exc)
        return SignatureReport(signed=True, signature_count=len(regular), message=MSG_ERROR)

    return SignatureReport(
        signed=True, valid=all_valid, trusted=all_trusted, signature_count=len(regular),
        signers=tuple(_cn(s.signer_cert) for s in regular), message=message, **last,
    )
