"""Storing cleaned uploads in Django's default storage, content-addressed.

A file is stored under ``documents/<prefix>/<sha256[:2]>/<sha256>.<ext>``: the same content
under the same prefix is stored once, and a stored name never changes meaning.

Because a stored file may be shared by several database rows, it is only deleted when no row
refers to it any more (`delete_if_unreferenced`, `find_orphans`).

Files and database rows cannot commit together. Use `StoredFilesGuard` around the work,
with the database transaction *inside* it::

    with StoredFilesGuard(is_referenced=DocumentVersion.objects.filter(file=...).exists):
        with transaction.atomic():
            name = store_clean_file(clean, prefix=f"dossiers/{dossier.pk}")
            DocumentVersion.objects.create(..., file=name)

If anything raises inside the guard (including the transaction rolling back because of an
error), the files *this* block created are deleted again; files that already existed (same
content stored earlier) are left alone. Django has no "on rollback" hook, so a guard opened
*inside* a transaction that later rolls back, or an error swallowed inside the guard, leaves
the new files behind: `find_orphans` (the ``rokhas_purge_orphan_files`` command) is the
safety net for those.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterator
from contextvars import ContextVar, Token
from datetime import timedelta
from types import TracebackType

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .validation import CleanFile

__all__ = [
    "DOCUMENTS_ROOT",
    "StoredFilesGuard",
    "delete_if_unreferenced",
    "find_orphans",
    "open_stored",
    "storage_name",
    "store_clean_file",
]

logger = logging.getLogger(__name__)

DOCUMENTS_ROOT = "documents"
_PREFIX = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")
_active_guards: ContextVar[tuple[StoredFilesGuard, ...]] = ContextVar("rokhas_stored_files_guards", default=())


def storage_name(clean: CleanFile, *, prefix: str) -> str:
    """Where `clean` is (or would be) stored under `prefix` (e.g. ``"dossiers/42"``)."""
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"invalid storage prefix: {prefix!r} (letters, digits, _ - and / only)")
    if not re.fullmatch(r"[0-9a-f]{64}", clean.sha256):
        raise ValueError("CleanFile.sha256 is not a SHA-256 hex digest")
    return f"{DOCUMENTS_ROOT}/{prefix}/{clean.sha256[:2]}/{clean.sha256}.{clean.extension}"


def _check_name(name: str) -> None:
    parts = name.split("/")
    if parts[0] != DOCUMENTS_ROOT or len(parts) < 2 or any(p in {"", ".", ".."} for p in parts):
        raise ValueError(f"not a stored document name: {name!r}")


def store_clean_file(clean: CleanFile, *, prefix: str) -> str:
    """Save `clean.content` (unless the same content is already stored there); return the
    storage name. Inside a `StoredFilesGuard`, the name is registered with the guard."""
    name = storage_name(clean, prefix=prefix)
    created = _save_if_absent(name, clean.content)
    for guard in _active_guards.get():
        guard.add(name, created=created)
    return name


def _save_if_absent(name: str, content: bytes) -> bool:
    """True if this call created the file."""
    storage = default_storage
    if storage.exists(name):
        if storage.size(name) == len(content):
            return False
        # A damaged copy (e.g. a write interrupted by a crash): the name says what it must hold.
        logger.warning("Replacing stored file %s: size differs from its content", name)
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    if saved != name:
        # Another request stored the same content meanwhile and the storage picked a new
        # name for ours; theirs is identical, keep it.
        storage.delete(saved)
        return False
    return True


def open_stored(name: str) -> bytes:
    """The content of a stored document (FileNotFoundError if it is gone)."""
    _check_name(name)
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def delete_if_unreferenced(name: str, is_referenced: Callable[[str], bool]) -> bool:
    """Delete the stored file unless ``is_referenced(name)``; True if it was deleted.

    Call it after the transaction that dropped the last reference has committed (e.g. from
    ``transaction.on_commit``)."""
    _check_name(name)
    if is_referenced(name) or not default_storage.exists(name):
        return False
    default_storage.delete(name)
    return True


def _walk(path: str) -> Iterator[str]:
    try:
        directories, files = default_storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for filename in sorted(files):
        yield f"{path}/{filename}"
    for directory in sorted(directories):
        yield from _walk(f"{path}/{directory}")


def find_orphans(referenced_names: Collection[str], *, min_age: timedelta | None = timedelta(hours=1)) -> list[str]:
    """Stored names under ``documents/`` that are not in `referenced_names`, sorted.

    Files younger than `min_age` are skipped: they may belong to a transaction that has
    not committed yet (pass ``min_age=None`` to list everything, e.g. in tests). Files whose
    age the storage cannot tell are skipped too unless `min_age` is None."""
    referenced = set(referenced_names)
    cutoff = timezone.now() - min_age if min_age is not None else None
    orphans = []
    for name in _walk(DOCUMENTS_ROOT):
        if name in referenced:
            continue
        if cutoff is not None:
            try:
                if default_storage.get_modified_time(name) > cutoff:
                    continue
            except (NotImplementedError, OSError):
                continue
        orphans.append(name)
    return orphans


class StoredFilesGuard:
    """Deletes the files newly stored inside the ``with`` block if the block raises.

    `is_referenced`, if given, is asked before each deletion: with content addressing another
    request may have started using the same file meanwhile.
    """

    def __init__(self, *, is_referenced: Callable[[str], bool] | None = None) -> None:
        self.is_referenced = is_referenced
        self.stored: list[str] = []  # every name stored inside the block
        self.created: list[str] = []  # the ones this block created
        self._token: Token[tuple[StoredFilesGuard, ...]] | None = None

    def add(self, name: str, *, created: bool = True) -> None:
        """Register a stored name (done by `store_clean_file` automatically)."""
        if name not in self.stored:
            self.stored.append(name)
        if created and name not in self.created:
            self.created.append(name)

    def discard(self) -> list[str]:
        """Delete the files this guard created (still unreferenced); return their names.
        Never raises: a failure is logged and the file left to `find_orphans`."""
        deleted = []
        for name in reversed(self.created):
            try:
                if self.is_referenced is not None and self.is_referenced(name):
                    continue
                default_storage.delete(name)
                deleted.append(name)
            except Exception:  # noqa: BLE001 - must not hide the error being handled
                logger.exception("Could not delete stored file %s after a failure", name)
        self.created = [name for name in self.created if name not in deleted]
        return deleted

    def __enter__(self) -> StoredFilesGuard:
        self._token = _active_guards.set((*_active_guards.get(), self))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _active_guards.reset(self._token)
            self._token = None
        if exc_type is not None:
            self.discard()
