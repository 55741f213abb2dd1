"""Signing with a key on a PKCS#11 token (SoftHSM standing in for a smart card or an HSM)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from rokhas.signing import pki
from rokhas.signing.credentials import register_pkcs11_credential
from rokhas.signing.models import SignerCredential
from rokhas.signing.services import SigningError, WrongPinError, sign_pdf, validate_pdf

from .conftest import require_binary, run

TOKEN_LABEL = "rokhas-test"
USER_PIN = "1234"
SO_PIN = "5678"
MODULE_CANDIDATES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                     "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so")


def _module() -> str:
    for candidate in MODULE_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    if os.environ.get("ROKHAS_ALLOW_SKIP") == "1":
        pytest.skip("libsofthsm2.so not found")
    pytest.fail("libsofthsm2.so not found (apt install softhsm2); set ROKHAS_ALLOW_SKIP=1 to skip")


@pytest.fixture(scope="module")
def softhsm(tmp_path_factory):
    """A SoftHSM token in a temporary directory.

    SOFTHSM2_CONF must be set before the library is first loaded in this process (it is read
    at C_Initialize), hence a module-scoped fixture that also exports it to the process.
    """
    util = require_binary("softhsm2-util")
    module = _module()
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    result = run(util, "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", USER_PIN,
                 "--so-pin", SO_PIN, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOFTHSM2_CONF", str(conf))
        yield {"module": module, "util": util, "env": env, "base": base}


def _import_key(softhsm, key, label: str, key_id: str) -> None:
    pem = softhsm["base"] / f"{label}.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    result = run(softhsm["util"], "--import", pem, "--token", TOKEN_LABEL, "--label", label,
                 "--id", key_id, "--pin", USER_PIN, env=softhsm["env"])
    pem.unlink()
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(params=["rsa", "ec"])
def token_credential(request, softhsm, pki_dir, signer_user) -> SignerCredential:
    key_type = request.param
    # The dev CA issues the certificate; the key then moves onto the token and the file goes.
    issued = pki.issue_signer_certificate(full_name="Amina El Fassi", cin="BE123456", email="",
                                          organisation="Commune de Rabat", pin="tmp-pin",
                                          key_type=key_type)
    key, _cert, _ = pkcs12.load_key_and_certificates(issued.pkcs12_path.read_bytes(), b"tmp-pin")
    issued.pkcs12_path.unlink()
    label = f"signer-{key_type}-{issued.serial_hex[:8]}"
    _import_key(softhsm, key, label, key_id=issued.serial_hex[:8])
    return register_pkcs11_credential(signer_user, certificate_pem=issued.certificate_pem,
                                      module=softhsm["module"], token_label=TOKEN_LABEL, key_label=label)


def test_sign_with_token_and_check_with_pdfsig(token_credential, pdf_bytes, tmp_path, nss_db):
    assert token_credential.storage == SignerCredential.Storage.PKCS11
    signed = sign_pdf(pdf_bytes, credential=token_credential, pin=USER_PIN, reason="Décision",
                      location="Rabat")
    report = validate_pdf(signed)
    assert report.valid and report.pades_level == "B-LT", report

    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    result = run(require_binary("pdfsig"), "-nssdir", f"sql:{nss_db}", path)
    assert "Signature is Valid" in result.stdout, result.stdout
    assert "Certificate is Trusted" in result.stdout


def test_wrong_token_pin(token_credential, pdf_bytes):
    with pytest.raises(WrongPinError):
        sign_pdf(pdf_bytes, credential=token_credential, pin="0000", reason="r", location="Rabat")


def test_unknown_token_is_a_signing_error(token_credential, pdf_bytes):
    token_credential.pkcs11_token_label = "no-such-token"
    with pytest.raises(SigningError) as excinfo:
        sign_pdf(pdf_bytes, credential=token_credential, pin=USER_PIN, reason="r", location="Rabat")
    assert not isinstance(excinfo.value, WrongPinError)
