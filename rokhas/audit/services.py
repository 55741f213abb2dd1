"""Writing to the audit chain."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def entry_digest(*, prev_hash: str, seq: int, at: str, actor_id: int | None, action: str,
                 object_type: str, object_id: str, dossier_id: int | None,
                 changes: dict, data: dict) -> str:
    payload = json.dumps(
        [prev_hash, seq, at, actor_id, action, object_type, object_id, dossier_id, changes, data],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(*, actor, action: str, obj=None, object_type: str = "", object_id: str = "",
           dossier_id: int | None = None, changes: dict | None = None,
           data: dict | None = None) -> AuditEntry:
    """Append one entry. Must run inside the transaction that makes the change, so that the
    change and its audit entry commit (or roll back) together."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    changes = _jsonable(changes or {})
    data = _jsonable(data or {})
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        at = timezone.now()
        seq = head.seq + 1
        actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
        digest = entry_digest(
            prev_hash=head.hash, seq=seq, at=at.isoformat(), actor_id=actor_id, action=action,
            object_type=object_type, object_id=object_id, dossier_id=dossier_id,
            changes=changes, data=data,
        )
        entry = AuditEntry.objects.create(
            seq=seq, at=at, actor_id=actor_id,
            actor_label=(actor.get_full_name() or actor.get_username()) if actor_id else "system",
            action=action, object_type=object_type, object_id=object_id, dossier_id=dossier_id,
            changes=changes, data=data, prev_hash=head.hash, hash=digest,
        )
        AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)
    return entry


def diff(old: dict, new: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}


def verify_chain() -> tuple[bool, int, str]:
    """Recompute every hash. Returns (ok, entries checked, message)."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for e in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if e.seq != expected_seq:
            return False, count, f"gap or reorder at seq {expected_seq} (found {e.seq})"
        if e.prev_hash != prev:
            return False, count, f"entry {e.seq}: previous hash does not match"
        digest = entry_digest(
            prev_hash=e.prev_hash, seq=e.seq, at=e.at.isoformat(), actor_id=e.actor_id,
            action=e.action, object_type=e.object_type, object_id=e.object_id,
            dossier_id=e.dossier_id, changes=e.changes, data=e.data,
        )
        if digest != e.hash:
            return False, count, f"entry {e.seq}: content does not match its hash"
        prev = e.hash
        expected_seq += 1
        count += 1
    head = AuditHead.objects.filter(id=1).first()
    if head and (head.seq != count or head.hash != prev):
        return False, count, "chain head does not match the last entry (entries removed at the end?)"
    return True, count, "ok"
