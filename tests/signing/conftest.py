"""Fixtures for the signing tests: a throw-away dev PKI per test, a signer, a small PDF."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from rokhas.signing import pki
from rokhas.signing.credentials import issue_dev_credential
from tests.conftest import require_binary  # noqa: F401 - used by the signing tests

PIN = "482916"


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60,
                          env=env, check=False)


def make_pdf(text: str = "Rokhas - autorisation de construire") -> bytes:
    """A one-page PDF written by pyHanko's own writer (no other PDF library needed)."""
    writer = PdfFileWriter()
    font = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
    })
    resources = generic.DictionaryObject({
        generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/F1"): writer.add_object(font)}),
    })
    content = writer.add_object(generic.StreamObject(
        stream_data=f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1")))
    writer.insert_page(PageObject(
        contents=content, resources=resources,
        media_box=generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
    ))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def _pki_template(tmp_path_factory) -> Path:
    # Generating RSA-3072 CA and TSA keys takes a second or two: do it once, copy per test.
    path = tmp_path_factory.mktemp("pki-template")
    with override_settings(ROKHAS_PKI_DIR=path):
        pki.ensure_dev_pki()
    return path


@pytest.fixture
def pki_dir(settings, tmp_path, _pki_template) -> Path:
    target = tmp_path / "pki"
    shutil.copytree(_pki_template, target)
    settings.ROKHAS_PKI_DIR = target
    settings.ROKHAS_TSA_URL = ""
    return target


@pytest.fixture
def signer_user(db):
    return get_user_model().objects.create_user(
        username="amina", email="amina.elfassi@example.ma", password=None,  # no Argon2 cost
        first_name="Amina", last_name="El Fassi", cin="BE123456",
    )


@pytest.fixture
def credential(pki_dir, signer_user):
    return issue_dev_credential(signer_user, pin=PIN, organisation="Commune de Rabat-Hassan")


@pytest.fixture
def pdf_bytes() -> bytes:
    return make_pdf()


@pytest.fixture
def nss_db(tmp_path, pki_dir) -> Path:
    """An NSS database trusting only the dev CA, for `pdfsig -nssdir`."""
    certutil = require_binary("certutil")
    db = tmp_path / "nssdb"
    db.mkdir()
    for args in (("-N", "-d", f"sql:{db}", "--empty-password"),
                 ("-A", "-d", f"sql:{db}", "-n", "rokhas", "-t", "CT,C,C", "-i", pki.ca_cert_path())):
        result = run(certutil, *args)
        assert result.returncode == 0, result.stderr
    return db
