"""Development certificate authority and trust store for document signatures.

Layout of settings.ROKHAS_PKI_DIR (created by `manage.py rokhas_dev_pki`):

    ca/rokhas-test-ca.pem, .key      root CA of the TEST PKI (never for production)
    tsa/rokhas-test-tsa.pem, .key    time-stamping unit used by rokhas.signing.tsa
    crl/rokhas-test-ca.crl           DER CRL of the CA, re-issued before it goes stale
    crl/revoked.json                 serials revoked by the dev CA (source of the CRL)
    trust/*.pem                      trust anchors / intermediates of a real deployment
    signers/*.p12                    PKCS#12 files of signers, each protected by its PIN

Everything is generated with `cryptography`; pyHanko consumes asn1crypto objects, so the
loaders below convert on the way out. Private keys of the dev CA/TSA are stored
unencrypted (mode 0600): this PKI exists to make development and tests realistic, not to be
trusted by anyone outside.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

CA_NAME = "Rokhas TEST CA — NOT FOR PRODUCTION"
TSA_NAME = "Rokhas TEST TSA — NOT FOR PRODUCTION"
TEST_ORG = "Rokhas TEST — NE PAS UTILISER EN PRODUCTION"

CA_LIFETIME = dt.timedelta(days=3650)
TSA_LIFETIME = dt.timedelta(days=5 * 365)
SIGNER_LIFETIME = dt.timedelta(days=2 * 365)
CRL_LIFETIME = dt.timedelta(days=7)
# Re-issue the CRL when less than this remains, so a signature never embeds a CRL about to lapse.
CRL_REFRESH_MARGIN = dt.timedelta(days=2)
TSA_REFRESH_MARGIN = dt.timedelta(days=30)
# Certificates start slightly in the past: clocks of validators are rarely exact.
BACKDATE = dt.timedelta(minutes=5)

KeyType = Literal["rsa", "ec"]
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class PkiError(Exception):
    """The PKI directory is missing something or holds something unusable."""


@dataclass(frozen=True)
class IssuedCredential:
    certificate: x509.Certificate
    certificate_pem: str
    pkcs12_path: Path  # absolute
    pkcs12_relpath: str  # relative to ROKHAS_PKI_DIR, as stored on SignerCredential
    subject_cn: str
    serial_hex: str
    not_before: dt.datetime
    not_after: dt.datetime


# --- paths -------------------------------------------------------------------------------

def pki_dir() -> Path:
    # Read at call time: tests and deployments change the setting.
    return Path(settings.ROKHAS_PKI_DIR)


def ca_cert_path() -> Path:
    return pki_dir() / "ca" / "rokhas-test-ca.pem"


def ca_key_path() -> Path:
    return pki_dir() / "ca" / "rokhas-test-ca.key"


def tsa_cert_path() -> Path:
    return pki_dir() / "tsa" / "rokhas-test-tsa.pem"


def tsa_key_path() -> Path:
    return pki_dir() / "tsa" / "rokhas-test-tsa.key"


def crl_path() -> Path:
    return pki_dir() / "crl" / "rokhas-test-ca.crl"


def revoked_path() -> Path:
    return pki_dir() / "crl" / "revoked.json"


def trust_dir() -> Path:
    return pki_dir() / "trust"


def signers_dir() -> Path:
    return pki_dir() / "signers"


def crl_url() -> str:
    # Declared in every certificate so validators (and pyHanko's LTV embedding) know revocation
    # is checked by CRL; the web app may serve crl_path() at this address.
    return f"{settings.SITE_URL.rstrip('/')}/pki/rokhas-test-ca.crl"


# --- small helpers -----------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def atomic_write(path: Path, data: bytes, *, private: bool = False) -> None:
    # Write-then-rename: a concurrent reader (web + worker) never sees half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600 if private else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_key(key_type: KeyType) -> PrivateKey:
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def _key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


_key_cache: dict[tuple[str, int, int], PrivateKey] = {}


def _load_key(path: Path) -> PrivateKey:
    # Cached per file version: parsing an RSA-3072 key re-runs OpenSSL's key check (~150 ms).
    stat = path.stat()
    cache_key = (str(path), stat.st_mtime_ns, stat.st_size)
    key = _key_cache.get(cache_key)
    if key is None:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise PkiError(f"{path}: unsupported key type")
        if len(_key_cache) > 16:
            _key_cache.clear()
        key = _key_cache[cache_key] = loaded
    return key


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def load_pem_certificates(data: bytes) -> list[x509.Certificate]:
    """All certificates of a PEM bundle, or of a single DER certificate."""
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def is_self_signed(cert: x509.Certificate) -> bool:
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _name(*attributes: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes if value])


def _crl_dp() -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints([
        x509.DistributionPoint(full_name=[x509.UniformResourceIdentifier(crl_url())],
                               relative_name=None, reasons=None, crl_issuer=None)
    ])


# --- the dev CA --------------------------------------------------------------------------

def _create_ca() -> tuple[x509.Certificate, PrivateKey]:
    key = _new_key("rsa")
    name = _name((NameOID.COUNTRY_NAME, "MA"), (NameOID.ORGANIZATION_NAME, TEST_ORG),
                 (NameOID.ORGANIZATIONAL_UNIT_NAME, "NOT FOR PRODUCTION"),
                 (NameOID.COMMON_NAME, CA_NAME))
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE).not_valid_after(now + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    atomic_write(ca_key_path(), _key_pem(key), private=True)
    atomic_write(ca_cert_path(), _cert_pem(cert))
    return cert, key


def dev_ca_exists() -> bool:
    return ca_cert_path().exists() and ca_key_path().exists()


def load_ca() -> tuple[x509.Certificate, PrivateKey]:
    if not dev_ca_exists():
        raise PkiError(f"no development CA in {pki_dir()}; run `manage.py rokhas_dev_pki`")
    return x509.load_pem_x509_certificate(ca_cert_path().read_bytes()), _load_key(ca_key_path())


def _issue(*, subject: x509.Name, public_key, lifetime: dt.timedelta,
           extensions: Iterable[tuple[x509.ExtensionType, bool]]) -> x509.Certificate:
    ca_cert, ca_key = load_ca()
    now = _now()
    # Never outlive the issuer: validators reject such chains.
    not_after = min(now + lifetime, ca_cert.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .add_extension(_crl_dp(), critical=False)
    )
    for ext, critical in extensions:
        builder = builder.add_extension(ext, critical=critical)
    return builder.sign(ca_key, hashes.SHA256())


def _create_tsa() -> x509.Certificate:
    # RSA: pyHanko's in-process DummyTimeStamper only signs with RSA keys.
    key = _new_key("rsa")
    cert = _issue(
        subject=_name((NameOID.COUNTRY_NAME, "MA"), (NameOID.ORGANIZATION_NAME, TEST_ORG),
                      (NameOID.COMMON_NAME, TSA_NAME)),
        public_key=key.public_key(), lifetime=TSA_LIFETIME,
        extensions=[
            (x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                           data_encipherment=False, key_agreement=False, key_cert_sign=False,
                           crl_sign=False, encipher_only=False, decipher_only=False), True),
            # RFC 3161 § 2.3: the TSA certificate must carry only timeStamping, marked critical.
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
        ],
    )
    atomic_write(tsa_key_path(), _key_pem(key), private=True)
    atomic_write(tsa_cert_path(), _cert_pem(cert))
    return cert


def load_tsa() -> tuple[x509.Certificate, PrivateKey]:
    if not (tsa_cert_path().exists() and tsa_key_path().exists()):
        raise PkiError(f"no development TSA in {pki_dir()}; run `manage.py rokhas_dev_pki`")
    return x509.load_pem_x509_certificate(tsa_cert_path().read_bytes()), _load_key(tsa_key_path())


# --- revocation --------------------------------------------------------------------------

def _revoked() -> dict[str, str]:
    try:
        return json.loads(revoked_path().read_text())
    except FileNotFoundError:
        return {}


def _write_crl() -> x509.CertificateRevocationList:
    ca_cert, ca_key = load_ca()
    now = _now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - BACKDATE)
        .next_update(now + CRL_LIFETIME)
        # CRL numbers must only grow; milliseconds since the epoch do, across processes.
        .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
    )
    for serial, when in sorted(_revoked().items()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(int(serial, 16))
            .revocation_date(dt.datetime.fromisoformat(when)).build()
        )
    crl = builder.sign(ca_key, hashes.SHA256())
    atomic_write(crl_path(), crl.public_bytes(serialization.Encoding.DER))
    return crl


def revoke_serial(serial: str, at: dt.datetime | None = None) -> None:
    """Put a certificate of the dev CA (hex serial) on its CRL, re-issued at once."""
    revoked = _revoked()
    revoked.setdefault(serial.lower(), (at or _now()).astimezone(dt.UTC).isoformat())
    atomic_write(revoked_path(), json.dumps(revoked, indent=2, sort_keys=True).encode())
    _write_crl()


def _crl_is_fresh() -> bool:
    try:
        crl = x509.load_der_x509_crl(crl_path().read_bytes())
    except (FileNotFoundError, ValueError):
        return False
    next_update = crl.next_update_utc
    return next_update is not None and next_update - _now() > CRL_REFRESH_MARGIN


def current_crls() -> list[bytes]:
    """DER CRLs to hand to validators: the dev CA's, re-issued first if close to lapsing."""
    if not dev_ca_exists():
        return []
    if not _crl_is_fresh():
        _write_crl()
    return [crl_path().read_bytes()]


# --- the whole dev PKI -------------------------------------------------------------------

def ensure_dev_pki() -> list[str]:
    """Create whatever is missing or stale in the dev PKI; returns what was done (idempotent)."""
    done: list[str] = []
    for sub in ("ca", "tsa", "crl", "trust", "signers"):
        (pki_dir() / sub).mkdir(parents=True, exist_ok=True)
    new_ca = False
    if not dev_ca_exists():
        _create_ca()
        new_ca = True
        done.append(f"created CA {ca_cert_path()}")
    ca_cert, _ = load_ca()
    tsa_ok = False
    if not new_ca and tsa_cert_path().exists() and tsa_key_path().exists():
        tsa = x509.load_pem_x509_certificate(tsa_cert_path().read_bytes())
        tsa_ok = (tsa.issuer == ca_cert.subject
                  and tsa.not_valid_after_utc - _now() > TSA_REFRESH_MARGIN)
    if not tsa_ok:
        _create_tsa()
        done.append(f"created TSA certificate {tsa_cert_path()}")
    if new_ca or not _crl_is_fresh():
        _write_crl()
        done.append(f"issued CRL {crl_path()}")
    return done


def issue_signer_certificate(*, full_name: str, cin: str, email: str, organisation: str, pin: str,
                             key_type: KeyType = "ec") -> IssuedCredential:
    """Issue a nominative signing certificate from the dev CA, with its key in a PKCS#12 file."""
    if not pin:
        raise PkiError("a PIN is required to protect the PKCS#12 file")
    ensure_dev_pki()
    ca_cert, _ = load_ca()
    key = _new_key(key_type)
    subject = _name((NameOID.COUNTRY_NAME, "MA"), (NameOID.ORGANIZATION_NAME, organisation),
                    (NameOID.SERIAL_NUMBER, cin), (NameOID.COMMON_NAME, full_name),
                    (NameOID.EMAIL_ADDRESS, email))
    extensions: list[tuple[x509.ExtensionType, bool]] = [
        # Non-repudiation (contentCommitment) is what makes it a signature key, not a login key.
        (x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                       data_encipherment=False, key_agreement=False, key_cert_sign=False,
                       crl_sign=False, encipher_only=False, decipher_only=False), True),
    ]
    if email:
        extensions.append((x509.SubjectAlternativeName([x509.RFC822Name(email)]), False))
    cert = _issue(subject=subject, public_key=key.public_key(), lifetime=SIGNER_LIFETIME,
                  extensions=extensions)
    p12 = pkcs12.serialize_key_and_certificates(
        name=full_name.encode(), key=key, cert=cert, cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(pin.encode()),
    )
    serial = serial_hex(cert)
    relpath = f"signers/{serial}.p12"
    path = pki_dir() / relpath
    atomic_write(path, p12, private=True)
    return IssuedCredential(
        certificate=cert, certificate_pem=_cert_pem(cert).decode(), pkcs12_path=path,
        pkcs12_relpath=relpath, subject_cn=full_name, serial_hex=serial,
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
    )


# --- trust store -------------------------------------------------------------------------

def import_trust_certificates(data: bytes) -> list[Path]:
    """Store a deployment's CA certificates (PEM bundle or DER) in trust/; returns the files."""
    try:
        certs = load_pem_certificates(data)
    except ValueError as exc:
        raise PkiError(f"not a PEM or DER certificate: {exc}") from exc
    if not certs:
        raise PkiError("no certificate found")
    written = []
    for cert in certs:
        fingerprint = cert.fingerprint(hashes.SHA256()).hex()[:16]
        kind = "root" if is_self_signed(cert) else "intermediate"
        path = trust_dir() / f"{kind}-{fingerprint}.pem"
        atomic_write(path, _cert_pem(cert))
        written.append(path)
    return written


def trust_material() -> tuple[list[asn1_x509.Certificate], list[asn1_x509.Certificate]]:
    """(trust roots, other known certificates) for validation contexts.

    Roots: the dev CA if present, plus self-signed certificates imported into trust/.
    Intermediates imported into trust/ help build paths but are not anchors themselves.
    """
    roots: list[asn1_x509.Certificate] = []
    others: list[asn1_x509.Certificate] = []
    if ca_cert_path().exists():
        roots.append(to_asn1(x509.load_pem_x509_certificate(ca_cert_path().read_bytes())))
    if trust_dir().is_dir():
        for path in sorted(trust_dir().glob("*.pem")):
            for cert in load_pem_certificates(path.read_bytes()):
                (roots if is_self_signed(cert) else others).append(to_asn1(cert))
    if tsa_cert_path().exists():
        others.append(to_asn1(x509.load_pem_x509_certificate(tsa_cert_path().read_bytes())))
    return roots, others
