"""Shared fixtures: a small territory, the catalogue, organisations and people, and helpers
that carry a file through the flow via the domain services (the public entry points)."""

from __future__ import annotations

import io
import os
import shutil

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rokhas.catalogue.loading import load_all
from rokhas.catalogue.models import DocumentType, Procedure
from rokhas.demo.seed import DEMO_PIN, build_world
from rokhas.territory.models import Commune, Province, Region


def missing(what: str) -> None:
    """Fail because something the test needs is not there; ROKHAS_ALLOW_SKIP=1 makes it a skip.
    (CI never sets it: a skipped test there fails the run.)"""
    message = f"{what} is required for this test"
    if os.environ.get("ROKHAS_ALLOW_SKIP") == "1":
        pytest.skip(message)
    pytest.fail(message + " (run `make system-deps` as root, or set ROKHAS_ALLOW_SKIP=1 to skip)")


def require_binary(name: str) -> str:
    """Path of a real external tool (pdfsig, pdftotext, softhsm2-util, chromium…)."""
    path = shutil.which(name)
    if path is None:
        missing(f"the `{name}` program")
    return path


def pytest_sessionstart(session):
    # CI must really use PostgreSQL: a green run on SQLite would prove nothing about locking.
    if os.environ.get("ROKHAS_REQUIRE_POSTGRES") == "1":
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(f"ROKHAS_REQUIRE_POSTGRES=1 but the database engine is {engine}")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # In CI a skipped test is a failed promise (PostgreSQL, Chromium, pdfsig, SoftHSM…).
    skipped = terminalreporter.stats.get("skipped", [])
    if os.environ.get("CI") and skipped and os.environ.get("ROKHAS_ALLOW_SKIP") != "1":
        terminalreporter.write_line(f"CI: {len(skipped)} test(s) were skipped; failing the run.", red=True)
        config._rokhas_skipped_in_ci = True


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") and os.environ.get("ROKHAS_ALLOW_SKIP") != "1":
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter and reporter.stats.get("skipped"):
            session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fresh_holiday_cache():
    from rokhas.catalogue import cache as catalogue_cache
    from rokhas.workdays.calendar import clear_holiday_cache

    clear_holiday_cache()
    catalogue_cache.clear()  # rows of a rolled-back test may come back under the same ids
    yield
    clear_holiday_cache()
    catalogue_cache.clear()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.ROKHAS_REQUIRE_OTP_FOR_OFFICIALS = False  # tests/accounts/test_second_factor.py turns it on
    settings.ROKHAS_DEV_GATEWAY = True  # the local payment test gateway (rokhas/payments/devgateway.py)
    settings.ROKHAS_VERIFY_RATE = "10000/min"  # tests/decisions/test_verification_limit.py sets its own
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


@pytest.fixture
def territory(db):
    region = Region.objects.create(code="04", name_fr="Rabat-Salé-Kénitra", name_ar="الرباط - سلا - القنيطرة")
    other_region = Region.objects.create(code="06", name_fr="Casablanca-Settat", name_ar="الدار البيضاء - سطات")
    kenitra_p = Province.objects.create(code="281", region=region, name_fr="Kénitra", name_ar="القنيطرة")
    temara_p = Province.objects.create(code="501", region=region, kind="prefecture",
                                       name_fr="Skhirate-Témara", name_ar="الصخيرات - تمارة")
    casa_p = Province.objects.create(code="141", region=other_region, kind="prefecture",
                                     name_fr="Casablanca", name_ar="الدار البيضاء")
    return {
        "kenitra": Commune.objects.create(code="281.01.01", province=kenitra_p, name_fr="Kénitra",
                                          name_ar="القنيطرة", population=431300),
        "temara": Commune.objects.create(code="501.01.07", province=temara_p, name_fr="Témara",
                                         name_ar="تمارة", population=313500),
        "small": Commune.objects.create(code="501.03.11", province=temara_p, kind="rural",
                                        name_fr="Sidi Yahya Zaer", name_ar="سيدي يحيى زعير", population=9800),
        "casa": Commune.objects.create(code="141.01.01", province=casa_p, name_fr="Anfa", name_ar="أنفا",
                                       population=94000),
    }


@pytest.fixture
def catalogue(db):
    load_all()
    return Procedure.objects.get(code="permis-construire")


@pytest.fixture
def world(territory, catalogue):
    return build_world(territory["kenitra"], territory["temara"], territory["small"])


@pytest.fixture
def signer_world(world, settings, pki_dir):
    """The world, plus real certificates for the president, the delegate and the platform seal."""
    from django.core.management import call_command

    from rokhas.accounts.models import User

    settings.ROKHAS_PKI_DIR = pki_dir
    call_command("rokhas_dev_pki", verbosity=0)
    for key in ("president", "delegate", "other_president"):
        call_command("rokhas_issue_signer", user=world.users[key].username, pin=DEMO_PIN, verbosity=0)
    seal, _ = User.objects.get_or_create(username=settings.ROKHAS_SEAL_USERNAME, defaults={
        "first_name": "Rokhas", "last_name": "cachet", "email": "seal@rokhas.local", "kind": "official"})
    call_command("rokhas_issue_signer", user=seal.username, pin=settings.ROKHAS_SEAL_PIN, verbosity=0)
    return world


def make_pdf(pages: int = 1, text: str = "plan") -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = text
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def upload(name: str = "plan.pdf", content: bytes | None = None, content_type="application/pdf"):
    return SimpleUploadedFile(name, content if content is not None else make_pdf(), content_type=content_type)


PETIT_PROJET = {
    "nature": "new", "use": "individual_housing", "land_title": "TF 12345/63", "address": "Lot 12, Bir Rami",
    "land_area_m2": "200", "floor_area_m2": "320", "levels": "2", "description": "Villa R+1",
}
GRAND_PROJET = {**PETIT_PROJET, "use": "collective_housing", "floor_area_m2": "2400", "levels": "5"}


@pytest.fixture
def file_dossier(world, django_capture_on_commit_callbacks):
    """Create, fill and submit a file as the architect; returns a function."""
    from rokhas.dossiers import services

    def _file(declared=None, commune=None, submit=True, world=world):
        architect, owner = world.users["architect"], world.users["owner"]
        procedure = Procedure.objects.get(code="permis-construire")
        with django_capture_on_commit_callbacks(execute=True):
            d = services.create_draft(actor=architect, commune=commune or world.commune, procedure=procedure,
                                      owner=owner, title="Villa Bennani")
            d = services.update_draft(actor=architect, dossier=d, title=None, declared=declared or PETIT_PROJET)
            from rokhas.catalogue.classification import classify
            from rokhas.dossiers.services import missing_documents
            cls = classify(d.procedure_version, d.declared).project_class
            for r in d.procedure_version.required_documents.all():
                if r.project_class_id in (None, cls.pk):
                    services.attach_document(actor=architect, dossier=d, document_type=r.document_type,
                                             uploaded=upload(f"{r.document_type.code}.pdf"))
            assert not missing_documents(d, cls)
            if submit:
                d = services.submit(actor=architect, dossier=d, token=f"t-{d.pk}")
        return d

    return _file


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)
