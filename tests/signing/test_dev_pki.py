"""The development PKI: TEST CA, TSA certificate, CRL kept current, signer certificates, trust import."""

import datetime as dt
from io import StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID
from django.core.management import call_command

from rokhas.signing import pki

from .conftest import PIN


def _load(path):
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_command_creates_a_test_ca_tsa_and_crl(settings, tmp_path):
    settings.ROKHAS_PKI_DIR = tmp_path / "pki"
    out = StringIO()
    call_command("rokhas_dev_pki", stdout=out)
    assert "created CA" in out.getvalue()

    ca = _load(pki.ca_cert_path())
    cn = ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    org = ca.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert "TEST" in cn and "NOT FOR PRODUCTION" in cn
    assert "TEST" in org and "PRODUCTION" in org
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    ca.verify_directly_issued_by(ca)

    tsa = _load(pki.tsa_cert_path())
    tsa.verify_directly_issued_by(ca)
    eku = tsa.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]

    crl = x509.load_der_x509_crl(pki.crl_path().read_bytes())
    assert crl.issuer == ca.subject and crl.is_signature_valid(ca.public_key())
    assert crl.next_update_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=5)
    assert (pki.ca_key_path().stat().st_mode & 0o077) == 0  # private key not world-readable


def test_command_is_idempotent(settings, tmp_path):
    settings.ROKHAS_PKI_DIR = tmp_path / "pki"
    call_command("rokhas_dev_pki", stdout=StringIO())
    before = {p: p.read_bytes() for p in (pki.ca_cert_path(), pki.ca_key_path(), pki.tsa_cert_path(),
                                          pki.crl_path())}
    out = StringIO()
    call_command("rokhas_dev_pki", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert {p: p.read_bytes() for p in before} == before


def test_crl_is_reissued_when_close_to_expiry(pki_dir, monkeypatch):
    monkeypatch.setattr(pki, "CRL_LIFETIME", dt.timedelta(hours=12))
    pki._write_crl()
    short = x509.load_der_x509_crl(pki.crl_path().read_bytes())
    monkeypatch.undo()

    (fresh_der,) = pki.current_crls()
    fresh = x509.load_der_x509_crl(fresh_der)
    assert fresh.next_update_utc - short.next_update_utc > dt.timedelta(days=5)
    number = fresh.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert number > short.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    # ...and a fresh one is left alone.
    assert pki.current_crls() == [fresh_der]


def test_signer_certificate_is_nominative_and_pin_protected(pki_dir):
    issued = pki.issue_signer_certificate(full_name="Youssef Benali", cin="AB654321",
                                          email="y.benali@example.ma", organisation="Commune de Fès",
                                          pin=PIN)
    cert = issued.certificate
    subject = {a.oid: a.value for a in cert.subject}
    assert subject[NameOID.COMMON_NAME] == "Youssef Benali"
    assert subject[NameOID.SERIAL_NUMBER] == "AB654321"
    assert subject[NameOID.ORGANIZATION_NAME] == "Commune de Fès"
    assert subject[NameOID.EMAIL_ADDRESS] == "y.benali@example.ma"
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.content_commitment and not ku.key_cert_sign
    cert.verify_directly_issued_by(_load(pki.ca_cert_path()))
    assert issued.serial_hex == format(cert.serial_number, "x")

    data = issued.pkcs12_path.read_bytes()
    assert issued.pkcs12_path == pki_dir / issued.pkcs12_relpath
    key, p12_cert, _ = pkcs12.load_key_and_certificates(data, PIN.encode())
    assert p12_cert == cert and isinstance(key, ec.EllipticCurvePrivateKey)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, b"000000")


def test_rsa_signer_keys_are_3072_bits(pki_dir):
    issued = pki.issue_signer_certificate(full_name="Rsa Signer", cin="", email="", organisation="X",
                                          pin=PIN, key_type="rsa")
    assert issued.certificate.public_key().key_size == 3072


def test_revoked_serial_appears_on_the_crl(pki_dir):
    issued = pki.issue_signer_certificate(full_name="A", cin="", email="", organisation="X", pin=PIN)
    pki.revoke_serial(issued.serial_hex)
    crl = x509.load_der_x509_crl(pki.crl_path().read_bytes())
    assert crl.get_revoked_certificate_by_serial_number(issued.certificate.serial_number) is not None


def _external_chain():
    """A CA chain not made by Rokhas: root -> intermediate, as a real deployment would import."""
    now = dt.datetime.now(dt.UTC)

    def make(subject, issuer, key, issuer_key, ca):
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .sign(issuer_key, hashes.SHA256()))

    root_key, inter_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "External Root CA")])
    inter_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "External Issuing CA")])
    root = make(root_name, root_name, root_key, root_key, True)
    inter = make(inter_name, root_name, inter_key, root_key, True)
    return root, inter


def test_import_trust_anchor_command(pki_dir, tmp_path):
    root, inter = _external_chain()
    bundle = tmp_path / "chain.pem"
    bundle.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (inter, root)))
    out = StringIO()
    call_command("rokhas_import_trust_anchor", str(bundle), stdout=out)
    assert "Imported 2 certificate(s)" in out.getvalue()
    assert len(list((pki_dir / "trust").glob("root-*.pem"))) == 1
    assert len(list((pki_dir / "trust").glob("intermediate-*.pem"))) == 1

    roots, others = pki.trust_material()
    root_subjects = {r.subject.native["common_name"] for r in roots}
    assert root_subjects == {pki.CA_NAME, "External Root CA"}
    assert "External Issuing CA" in {o.subject.native["common_name"] for o in others}


def test_import_trust_anchor_rejects_garbage(pki_dir, tmp_path):
    from django.core.management import CommandError

    bad = tmp_path / "bad.pem"
    bad.write_bytes(b"not a certificate")
    with pytest.raises(CommandError):
        call_command("rokhas_import_trust_anchor", str(bad))
