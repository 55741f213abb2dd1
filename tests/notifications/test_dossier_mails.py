"""Architect and owner hear of every step, each in their own language, after the commit."""

import subprocess
from urllib.parse import urlparse

from django.core import mail

from rokhas.catalogue.models import ReturnReason
from rokhas.dossiers import services
from tests.conftest import require_binary


def test_filing_mails_both_parties_with_the_receipt(world, file_dossier, tmp_path):
    d = file_dossier()
    to = {m.to[0]: m for m in mail.outbox}
    architect, owner = world.users["architect"], world.users["owner"]
    assert set(to) == {architect.email, owner.email}
    assert d.reference in to[architect.email].subject
    assert "déposé" in to[architect.email].subject  # French for the architect
    assert "إيداع" in to[owner.email].subject or "أودع" in to[owner.email].subject  # Arabic for the owner
    name, content, mime = to[owner.email].attachments[0]
    assert mime == "application/pdf" and d.reference in name
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(content)
    text = subprocess.run([require_binary("pdftotext"), str(receipt), "-"], capture_output=True, text=True).stdout
    assert d.reference in text
    assert d.legal_due_date.strftime("%d/%m/%Y") in text


def test_nothing_is_mailed_when_the_transaction_fails(world, file_dossier, django_capture_on_commit_callbacks):
    d = file_dossier()
    mail.outbox.clear()
    try:
        services.return_for_complements(actor=world.users["guichet"], dossier=d, reasons=[], message="x")
    except Exception:  # noqa: BLE001 - the refusal is the point
        pass
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_complements(actor=world.users["guichet"], dossier=d,
                                        reasons=[ReturnReason.objects.get(code="other")], message="x")
    assert len(mail.outbox) == 2


def test_mail_links_to_the_file_page_in_the_recipients_language(world, file_dossier, client):
    d = file_dossier()
    owner_mail = next(m for m in mail.outbox if m.to == [world.users["owner"].email])
    link = next(word for word in owner_mail.body.split() if word.startswith("http"))
    assert link.endswith(f"/ar/files/{d.pk}/")
    client.force_login(world.users["owner"])
    assert client.get(urlparse(link).path).status_code == 200
