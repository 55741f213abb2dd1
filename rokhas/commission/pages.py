"""PDF pages as images for the session viewer: poppler's `pdftoppm`, cached in the storage
per document version (its content hash) and page, so each page is rendered once."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from rokhas.documents.models import DocumentVersion
from rokhas.documents.storage import open_stored

RESOLUTION_DPI = 100
TIMEOUT_SECONDS = 60


def cache_name(version: DocumentVersion, page: int) -> str:
    return f"commission/pages/{version.sha256}/{RESOLUTION_DPI}-{page}.png"


def _render(pdf: bytes, page: int) -> bytes:
    with tempfile.TemporaryDirectory(prefix="rokhas-page-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        out = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION_DPI), "-f", str(page), "-l", str(page),
                        "-singlefile", str(source), str(out)],
                       check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        return (Path(tmp) / "page.png").read_bytes()


def page_png(version: DocumentVersion, page: int) -> bytes:
    """The PNG of one page (1-based); ValidationError if the page does not exist or the
    document cannot be shown as images."""
    if version.content_type != "application/pdf":
        raise ValidationError(_("Only PDF documents can be shown page by page."), code="not_pdf")
    if page < 1 or (version.pages and page > version.pages):
        raise ValidationError(_("This document has no such page."), code="no_page")
    name = cache_name(version, page)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as fh:
            return fh.read()
    try:
        png = _render(open_stored(version.storage_name), page)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as exc:
        raise ValidationError(_("This page could not be shown."), code="render_failed") from exc
    saved = default_storage.save(name, ContentFile(png))
    if saved != name:  # another request rendered it meanwhile: keep one copy
        default_storage.delete(saved)
    return png
