"""The audit log is append-only and tamper-evident."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from rokhas.audit.models import AuditEntry
from rokhas.audit.services import verify_chain


def test_every_step_is_recorded_with_actor_and_old_new(world, file_dossier):
    d = file_dossier()
    entries = AuditEntry.objects.filter(dossier_id=d.pk)
    submitted = entries.get(action="dossier.submitted")
    assert submitted.actor == world.users["architect"]
    assert submitted.changes == {"status": ["draft", "submitted"]}
    assert entries.filter(action="document.uploaded").count() >= 5
    ok, count, _ = verify_chain()
    assert ok and count == AuditEntry.objects.count()


def test_entries_cannot_be_changed_or_deleted_through_the_orm(world, file_dossier):
    file_dossier()
    entry = AuditEntry.objects.first()
    entry.action = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_an_edited_row_breaks_the_chain(world, file_dossier):
    file_dossier()
    victim = AuditEntry.objects.order_by("seq")[3]
    AuditEntry.objects.filter(pk=victim.pk).update(data={"forged": True})  # bypasses save()
    ok, _, message = verify_chain()
    assert not ok and f"entry {victim.seq}" in message
    with pytest.raises(CommandError):
        call_command("rokhas_verify_audit")


def test_a_deleted_row_breaks_the_chain(world, file_dossier):
    file_dossier()
    victim = AuditEntry.objects.order_by("seq")[2]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [victim.pk])
    assert not verify_chain()[0]


def test_a_removed_last_row_breaks_the_chain(world, file_dossier):
    file_dossier()
    last = AuditEntry.objects.order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [last.pk])
    assert not verify_chain()[0]


def test_verify_command_reports_an_intact_chain(world, file_dossier, capsys):
    file_dossier()
    call_command("rokhas_verify_audit")
    assert "intact" in capsys.readouterr().out
