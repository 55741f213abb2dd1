"""A server killed in the middle of a submission or an upload leaves no half-written file
and, after the orphan sweep, no orphan upload."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from rokhas.documents.models import DocumentVersion
from rokhas.dossiers.models import Dossier, DossierCounter

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{s['USER']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


def _run_until_paused_then_kill(body: str, media_root: Path):
    """Run `body` in another process, which pauses at a patched point inside the
    transaction; kill -9 it there, like a power cut."""
    script = textwrap.dedent("""
        import os, sys, time, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "rokhas.settings"
        django.setup()
        from django.conf import settings
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        def pause(*a, **k):
            print("PAUSED", flush=True)
            time.sleep(60)
    """) + textwrap.dedent(body)
    env = {**os.environ, "DATABASE_URL": _database_url(), "ROKHAS_VAR_DIR": str(media_root.parent)}
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "PAUSED" not in line:
        proc.kill()
        pytest.fail(f"child did not reach the pause point: {line!r} {proc.stderr.read()[-3000:]}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


@pytest.fixture
def on_disk_db(settings):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in (":memory:", "") or \
            "mode=memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a database another process can open (PostgreSQL in CI)")


@pytest.mark.django_db(transaction=True)
def test_killed_during_submit_leaves_a_draft_and_no_number(world, file_dossier, on_disk_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    d = file_dossier(submit=False)
    _run_until_paused_then_kill(f"""
        from rokhas.dossiers import clock, services
        from rokhas.dossiers.models import Dossier
        from rokhas.accounts.models import User
        clock.refresh_due_date = pause   # inside the submit transaction, after numbering
        services.submit(actor=User.objects.get(username="architecte"), dossier=Dossier.objects.get(pk={d.pk}),
                        token="crash")
    """, settings.MEDIA_ROOT)
    d.refresh_from_db()
    assert d.status == "draft" and d.reference is None and d.rounds.count() == 0
    assert not DossierCounter.objects.filter(commune=d.commune, last__gt=0).exists()
    # The next submission takes number 1: no gap.
    from rokhas.dossiers import services

    assert services.submit(actor=world.users["architect"], dossier=d, token="after").sequence == 1


@pytest.mark.django_db(transaction=True)
def test_killed_during_upload_leaves_no_row_and_the_sweep_removes_the_file(world, file_dossier, on_disk_db,
                                                                           settings, tmp_path):
    media = tmp_path / "var" / "media"
    settings.MEDIA_ROOT = media
    d = file_dossier(submit=False)
    before = DocumentVersion.objects.count()
    _run_until_paused_then_kill(f"""
        import io, pikepdf
        from django.core.files.uploadedfile import SimpleUploadedFile
        from rokhas.dossiers import services
        from rokhas.dossiers.models import Dossier
        from rokhas.accounts.models import User
        from rokhas.catalogue.models import DocumentType
        pdf = pikepdf.new(); pdf.add_blank_page(); pdf.docinfo["/Title"] = "crash-test"
        out = io.BytesIO(); pdf.save(out)
        services._audit = pause   # after the file is stored and the row inserted, before commit
        services.attach_document(actor=User.objects.get(username="architecte"),
                                 dossier=Dossier.objects.get(pk={d.pk}),
                                 document_type=DocumentType.objects.get(code="plan-situation"),
                                 uploaded=SimpleUploadedFile("p.pdf", out.getvalue()))
    """, media)
    assert DocumentVersion.objects.count() == before  # the row died with the transaction
    stored = [p for p in media.rglob("*.pdf")]
    referenced = set(DocumentVersion.objects.values_list("storage_name", flat=True))
    orphans = [p for p in stored if str(p.relative_to(media)) not in referenced]
    assert len(orphans) == 1  # the killed process could not clean up...
    call_command("rokhas_purge_orphan_files", min_age_minutes=0)
    assert not orphans[0].exists()  # ...the sweep does
    assert all((media / name).exists() for name in referenced if name.startswith("documents/"))
    assert Dossier.objects.get(pk=d.pk).status == "draft"
