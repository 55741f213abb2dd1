"""Checking and cleaning uploaded files before they are stored.

`validate_upload()` is the one door every uploaded document goes through. It

* reads at most ``max_bytes + 1`` bytes (the declared ``.size`` is checked first, so a
  2 GB upload is refused without being read);
* decides the type from the content (magic bytes), never from the file name; a name whose
  extension contradicts the content is refused, a name without a known extension gets one;
* PDF: opens the file with pikepdf (qpdf), refuses damaged or password-protected files and
  files with too many pages, removes active content (JavaScript, embedded files, launch /
  submit / import actions, automatic actions, multimedia, XFA) and writes the file anew
  with qpdf, so what is stored is qpdf's reading of the file, not the attacker's bytes;
* JPEG / PNG: walks the segments / chunks, checks the dimensions, drops metadata (EXIF with
  GPS position, XMP, comments, text chunks: law 09-08 on personal data) and anything after
  the end of the image, without re-encoding the pixels, then has Pillow decode the result.

It returns a `CleanFile`; the bytes to store are ``CleanFile.content``.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from typing import Any, Protocol

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

__all__ = [
    "CleanFile",
    "DEFAULT_ALLOWED",
    "MAX_IMAGE_SIDE",
    "MAX_IMAGE_PIXELS",
    "safe_basename",
    "sniff_kind",
    "validate_upload",
]

DEFAULT_ALLOWED: frozenset[str] = frozenset({"pdf", "jpeg", "png"})
MAX_NAME_LENGTH = 150
MAX_IMAGE_SIDE = 20_000
# Pillow refuses to open anything larger (2 × Image.MAX_IMAGE_PIXELS by default); an A0
# sheet scanned at 300 dpi is 139 Mpx, below this.
MAX_IMAGE_PIXELS = 178_956_970
# Progressive JPEGs keep every DCT coefficient in memory while decoding (about 2 bytes per
# sample); above this size only the structure is checked, not a trial decode.
_MAX_PROGRESSIVE_DECODE_PIXELS = 40_000_000
_READ_CHUNK = 64 * 1024

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
_CANONICAL_EXTENSION = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
_EXTENSIONS = {
    "pdf": frozenset({"pdf"}),
    "jpeg": frozenset({"jpg", "jpeg", "jpe", "jfif", "pjpeg", "pjp"}),
    "png": frozenset({"png"}),
}
# Extensions that name some definite other format: such a name on a PDF/JPEG/PNG content is
# refused ("type_mismatch"); any other extension is kept and the right one appended.
_KNOWN_EXTENSIONS = frozenset(
    """pdf jpg jpeg jpe jfif pjpeg pjp png gif bmp dib tif tiff webp heic heif avif jxl svg svgz
    ico zip zipx rar 7z gz tgz tar bz2 xz cab exe msi msix dll com scr cpl bat cmd ps1 psm1 vbs
    vbe js mjs jse wsf wsh hta jar apk app dmg iso img sh bash py pl php asp aspx jsp htm html
    xhtml shtml mht mhtml xml xsl xslt doc docx docm dot dotx dotm xls xlsx xlsm xlsb ppt pptx
    pptm pps ppsx odt ods odp odg rtf txt csv eml msg lnk url dwg dxf dwf ps eps ai psd mp4
    m4v mov avi mkv webm mp3 m4a wav ogg""".split()
)

# What was removed; English identifiers, marked for translation so a template can show
# ``{% translate label %}``.
JAVASCRIPT = gettext_noop("JavaScript")
EMBEDDED_FILES = gettext_noop("embedded files")
OPEN_ACTION = gettext_noop("open action")
AUTOMATIC_ACTIONS = gettext_noop("automatic actions")
LAUNCH_ACTIONS = gettext_noop("launch actions")
SUBMIT_ACTIONS = gettext_noop("form submission actions")
IMPORT_ACTIONS = gettext_noop("data import actions")
OTHER_FILE_LINKS = gettext_noop("links opening other files")
MULTIMEDIA = gettext_noop("multimedia content")
XFA_FORMS = gettext_noop("XFA forms")
ENCRYPTION = gettext_noop("encryption")
GPS_DATA = gettext_noop("location data (GPS)")
PHOTO_METADATA = gettext_noop("photo metadata (EXIF/XMP)")
COMMENTS = gettext_noop("comments and text metadata")
THUMBNAILS = gettext_noop("embedded thumbnails")
TRAILING_DATA = gettext_noop("data after the end of the file")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    kind: str
    sha256: str
    size: int
    pages: int | None
    original_name: str
    sanitised: bool
    removed: tuple[str, ...]

    @property
    def extension(self) -> str:
        return _CANONICAL_EXTENSION[self.kind]


class _Upload(Protocol):
    name: str | None

    def read(self, size: int = ..., /) -> bytes: ...


# --------------------------------------------------------------------------------------------
# Errors


def _error(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params)


_KIND_LABELS = {
    "pdf": _("a PDF document"),
    "jpeg": _("a JPEG image"),
    "png": _("a PNG image"),
    "zip": _("a ZIP archive (or an Office document)"),
    "rar": _("a RAR archive"),
    "7z": _("a 7-Zip archive"),
    "gzip": _("a gzip archive"),
    "exe": _("a Windows program"),
    "elf": _("a Linux program"),
    "macho": _("a macOS program"),
    "ole": _("an old Microsoft Office document"),
    "rtf": _("an RTF document"),
    "gif": _("a GIF image"),
    "tiff": _("a TIFF image"),
    "bmp": _("a BMP image"),
    "webp": _("a WebP image"),
    "heic": _("a HEIC photo (iPhone)"),
    "avif": _("an AVIF image"),
    "mp4": _("a video"),
    "postscript": _("a PostScript file"),
    "html": _("a web page (HTML)"),
    "svg": _("an SVG image"),
    "xml": _("an XML file"),
    "text": _("a text file"),
}
_UNKNOWN_LABEL = _("a file of unknown type")
_ALLOWED_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}


# --------------------------------------------------------------------------------------------
# File names


_FORBIDDEN_NAME_CHARS = re.compile(r'[<>:"/\\|?*]')
_KEEP_FORMAT_CHARS = {"\u200c", "\u200d"}  # zero-width (non-)joiner: part of some spellings


def safe_basename(name: str | None, max_length: int = MAX_NAME_LENGTH) -> str:
    """The last path component of `name`, without control / bidi-override characters or
    characters that are unsafe in file names and headers, at most `max_length` characters
    (the extension is kept when shortening). May return ``""``."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    chars = []
    for ch in text:
        category = unicodedata.category(ch)
        if category.startswith("C") and ch not in _KEEP_FORMAT_CHARS:
            continue  # Cc control, Cf format (incl. U+202E RIGHT-TO-LEFT OVERRIDE), Cs, Co, Cn
        if category in {"Zs", "Zl", "Zp"}:
            ch = " "
        chars.append(ch)
    text = _FORBIDDEN_NAME_CHARS.sub("_", "".join(chars))
    text = re.sub(r"\s+", " ", text).strip(" .")
    if len(text) > max_length:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and 0 < len(ext) <= 10:
            text = stem[: max_length - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:max_length].rstrip(" .")
    return text


def _name_extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,10}", ext):
        return ext.lower()
    return ""


def _final_name(safe_name: str, kind: str, display_name: str) -> str:
    """Checks the extension against the content; returns the name to keep."""
    ext = _name_extension(safe_name)
    if ext in _EXTENSIONS[kind]:
        return safe_name
    if ext in _KNOWN_EXTENSIONS:
        raise _error(
            _("The file “%(name)s” has the extension .%(extension)s but its content is %(actual)s."),
            "type_mismatch",
            name=display_name,
            extension=ext,
            actual=_KIND_LABELS[kind],
        )
    suffix = "." + _CANONICAL_EXTENSION[kind]
    stem = safe_name or "document"
    return safe_basename(stem[: MAX_NAME_LENGTH - len(suffix)] + suffix)


# --------------------------------------------------------------------------------------------
# Reading


def _read_limited(uploaded: _Upload, max_bytes: int, display_name: str) -> bytes:
    def too_large() -> ValidationError:
        return _error(
            _("The file “%(name)s” is larger than the limit of %(limit)s."),
            "too_large",
            name=display_name,
            limit=filesizeformat(max_bytes),
        )

    declared = getattr(uploaded, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise too_large()
    seek = getattr(uploaded, "seek", None)
    if callable(seek):
        try:
            seek(0)
        except (OSError, ValueError):
            pass
    buffer = bytearray()
    limit = max_bytes + 1
    while len(buffer) < limit:
        chunk = uploaded.read(min(_READ_CHUNK, limit - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    if len(buffer) > max_bytes:
        raise too_large()
    return bytes(buffer)


# --------------------------------------------------------------------------------------------
# Type sniffing


def sniff_kind(data: bytes) -> str | None:
    """What the content looks like: ``"pdf"``, ``"jpeg"``, ``"png"``, another key of
    `_KIND_LABELS` (``"zip"``, ``"exe"``, ``"html"``…), or None if unknown."""
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    binary = [
        ((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"), "zip"),
        ((b"Rar!\x1a\x07",), "rar"),
        ((b"7z\xbc\xaf\x27\x1c",), "7z"),
        ((b"\x1f\x8b",), "gzip"),
        ((b"MZ",), "exe"),
        ((b"\x7fELF",), "elf"),
        ((b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf"), "macho"),
        ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), "ole"),
        ((b"{\\rtf",), "rtf"),
        ((b"GIF87a", b"GIF89a"), "gif"),
        ((b"II*\x00", b"MM\x00*"), "tiff"),
        ((b"%!PS",), "postscript"),
    ]
    for prefixes, kind in binary:
        if head.startswith(prefixes):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}:
            return "heic"
        if brand in {b"avif", b"avis"}:
            return "avif"
        return "mp4"
    if head.startswith(b"BM") and len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    text_kind = _sniff_text(head)
    if text_kind:
        return text_kind
    if b"%PDF-" in head:
        # A PDF header after some junk: readers accept it, we do not (polyglot files).
        return None
    return _puremagic_kind(head)


def _sniff_text(head: bytes) -> str | None:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    sample = head.lstrip().lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")):
        return "html"
    if b"<svg" in sample[:1024] and sample.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")):
        return "svg"
    if sample.startswith(b"<?xml"):
        return "html" if b"<html" in sample else "xml"
    if b"<html" in sample or b"<script" in sample:
        return "html"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the sample's end
                return None
        return "text"
    return None


def _puremagic_kind(head: bytes) -> str | None:
    try:
        import puremagic

        matches = puremagic.magic_string(head)
    except Exception:  # noqa: BLE001 - best effort, only used to word the message
        return None
    for match in matches:
        if getattr(match, "confidence", 0) >= 0.8 and match.byte_match and len(match.byte_match) >= 4:
            ext = match.extension.lstrip(".").lower()
            for kind, exts in (("zip", {"zip", "docx", "xlsx", "pptx", "odt", "jar", "apk"}),
                               ("exe", {"exe", "dll", "msi"}), ("mp4", {"mp4", "mov", "m4v"})):
                if ext in exts:
                    return kind
    return None


# --------------------------------------------------------------------------------------------
# Entry point


def validate_upload(
    uploaded: _Upload,
    *,
    allowed: frozenset[str] = DEFAULT_ALLOWED,
    max_bytes: int | None = None,
    max_pages: int | None = None,
) -> CleanFile:
    """Check and clean an uploaded file; raise `ValidationError` (with a ``code``) if refused.

    `max_bytes` / `max_pages` default to ``settings.ROKHAS_UPLOAD_MAX_BYTES`` /
    ``ROKHAS_UPLOAD_MAX_PAGES``.
    """
    unknown = set(allowed) - set(CONTENT_TYPES)
    if unknown:
        raise ValueError(f"unsupported kinds in allowed: {sorted(unknown)}")
    if max_bytes is None:
        max_bytes = settings.ROKHAS_UPLOAD_MAX_BYTES
    if max_pages is None:
        max_pages = settings.ROKHAS_UPLOAD_MAX_PAGES

    safe_name = safe_basename(getattr(uploaded, "name", None))
    display_name = safe_name or _("(no name)")
    data = _read_limited(uploaded, max_bytes, display_name)
    if not data:
        raise _error(_("The file “%(name)s” is empty."), "empty", name=display_name)

    kind = sniff_kind(data)
    if kind not in allowed:
        raise _error(
            _("The file “%(name)s” looks like %(actual)s, which is not accepted. Accepted types: %(allowed)s."),
            "type_not_allowed",
            name=display_name,
            actual=_KIND_LABELS.get(kind or "", _UNKNOWN_LABEL),
            allowed=", ".join(_ALLOWED_LABELS[k] for k in sorted(allowed)),
        )
    original_name = _final_name(safe_name, kind, display_name)

    if kind == "pdf":
        content, pages, removed = _clean_pdf(data, max_pages=max_pages, name=display_name)
    elif kind == "jpeg":
        content, removed = _clean_jpeg(data, name=display_name)
        pages = None
    else:
        content, removed = _clean_png(data, name=display_name)
        pages = None

    return CleanFile(
        content=content,
        content_type=CONTENT_TYPES[kind],
        kind=kind,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=pages,
        original_name=original_name,
        sanitised=bool(removed),
        removed=tuple(dict.fromkeys(removed)),
    )


# --------------------------------------------------------------------------------------------
# PDF

_N = pikepdf.Name
_DANGEROUS_ACTIONS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH_ACTIONS,
    "/SubmitForm": SUBMIT_ACTIONS,
    "/ImportData": IMPORT_ACTIONS,
    "/GoToR": OTHER_FILE_LINKS,
    "/GoToE": OTHER_FILE_LINKS,
    "/Rendition": MULTIMEDIA,
    "/RichMediaExecute": MULTIMEDIA,
    "/Movie": MULTIMEDIA,
    "/Sound": MULTIMEDIA,
    "/GoTo3DView": MULTIMEDIA,
}
_REMOVED_ANNOTATIONS = {
    "/FileAttachment": EMBEDDED_FILES,
    "/RichMedia": MULTIMEDIA,
    "/Screen": MULTIMEDIA,
    "/Movie": MULTIMEDIA,
    "/Sound": MULTIMEDIA,
    "/3D": MULTIMEDIA,
}
# Keys deleted wherever they appear (after noting what they held).
_EMBEDDED_FILE_KEYS = {"/EF", "/RF", "/AF"}


_DICT = pikepdf.ObjectType.dictionary
_STREAM = pikepdf.ObjectType.stream
_ARRAY = pikepdf.ObjectType.array


def _type(obj: Any) -> pikepdf.ObjectType | None:
    # isinstance() against pikepdf's Dictionary/Stream is not reliable for every object
    # (and not for tuples/unions of them); the type code is.
    return getattr(obj, "_type_code", None)


def _is_dict(obj: Any) -> bool:
    """A dictionary or a stream (whose dictionary we look at)."""
    return _type(obj) in (_DICT, _STREAM)


def _is_plain_dict(obj: Any) -> bool:
    return _type(obj) == _DICT


def _is_array(obj: Any) -> bool:
    return _type(obj) == _ARRAY


def _is_container(obj: Any) -> bool:
    return _type(obj) in (_DICT, _STREAM, _ARRAY)


def _is_embedded_file(obj: Any) -> bool:
    return _type(obj) == _STREAM and obj.get("/Type") == _N.EmbeddedFile


def _action_label(obj: Any) -> str | None:
    """The removal label if `obj` is a dangerous action dictionary, else None."""
    if not _is_plain_dict(obj):
        return None
    if "/JS" in obj:
        return JAVASCRIPT
    kind = obj.get("/S")
    if _type(kind) == pikepdf.ObjectType.name_:
        return _DANGEROUS_ACTIONS.get(str(kind))
    return None


def _actions_in(obj: Any) -> list[str]:
    """Labels for what an /AA dictionary or /OpenAction held."""
    labels = []
    values = list(obj.values()) if _is_plain_dict(obj) and "/S" not in obj else [obj]
    for value in values:
        labels.append(_action_label(value) or AUTOMATIC_ACTIONS)
    return labels


def _is_signed(pdf: pikepdf.Pdf) -> bool:
    acroform = pdf.Root.get("/AcroForm")
    if not _is_plain_dict(acroform):
        return False
    stack = list(acroform.get("/Fields") or [])
    seen = 0
    while stack and seen < 10_000:
        seen += 1
        field = stack.pop()
        if not _is_plain_dict(field):
            continue
        if field.get("/FT") == _N.Sig and _is_plain_dict(field.get("/V")):
            return True
        stack.extend(field.get("/Kids") or [])
    return False


def _sanitise_catalog(pdf: pikepdf.Pdf, removed: list[str]) -> None:
    root = pdf.Root
    if "/OpenAction" in root:
        action = root.OpenAction
        if _is_plain_dict(action):  # an action; a bare destination array is harmless
            removed.append(OPEN_ACTION)
            removed.extend(label for label in _actions_in(action) if label != AUTOMATIC_ACTIONS)
            del root["/OpenAction"]
    names = root.get("/Names")
    if _is_plain_dict(names):
        if "/JavaScript" in names:
            removed.append(JAVASCRIPT)
            del names["/JavaScript"]
        if "/EmbeddedFiles" in names:
            removed.append(EMBEDDED_FILES)
            del names["/EmbeddedFiles"]
        if not list(names.keys()):
            del root["/Names"]
    if "/Collection" in root:  # a portfolio: its files are in /EmbeddedFiles
        removed.append(EMBEDDED_FILES)
        del root["/Collection"]
    acroform = root.get("/AcroForm")
    if _is_plain_dict(acroform) and "/XFA" in acroform:
        removed.append(XFA_FORMS)
        del acroform["/XFA"]
    if "/NeedsRendering" in root:
        del root["/NeedsRendering"]


def _sanitise_annotations(pdf: pikepdf.Pdf, removed: list[str]) -> None:
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not _is_array(annots):
            continue
        kept = []
        changed = False
        for annot in annots:
            if _is_plain_dict(annot):
                subtype = str(annot.get("/Subtype", ""))
                label = _REMOVED_ANNOTATIONS.get(subtype)
                if label is None and subtype != "/Widget":
                    # A link or other annotation whose only purpose is a dangerous action.
                    label = _action_label(annot.get("/A"))
                if label is not None:
                    removed.append(label)
                    changed = True
                    continue
            kept.append(annot)
        if changed:
            page.obj.Annots = pikepdf.Array(kept)


def _sanitise_graph(pdf: pikepdf.Pdf, removed: list[str]) -> None:
    """Walk every object reachable from the trailer; remove dangerous entries anywhere
    (outlines, form fields, widgets, actions chained with /Next, associated files…)."""
    stack: list[Any] = [pdf.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if getattr(obj, "is_indirect", False):
            key = obj.objgen
            if key in seen:
                continue
            seen.add(key)
        if _is_dict(obj):
            for key in list(obj.keys()):
                if key == "/AA":
                    removed.extend(_actions_in(obj.AA))
                    del obj[key]
                    continue
                if key == "/JS":
                    removed.append(JAVASCRIPT)
                    del obj[key]
                    continue
                if key in _EMBEDDED_FILE_KEYS:
                    removed.append(EMBEDDED_FILES)
                    del obj[key]
                    continue
                if key == "/XFA":
                    removed.append(XFA_FORMS)
                    del obj[key]
                    continue
                value = obj[key]
                label = _action_label(value)
                if label is None and _is_embedded_file(value):
                    label = EMBEDDED_FILES
                if label is not None:
                    removed.append(label)
                    del obj[key]
                    continue
                if _is_container(value):
                    stack.append(value)
        elif _is_array(obj):
            for index in reversed(range(len(obj))):
                value = obj[index]
                label = _action_label(value)
                if label is None and _is_embedded_file(value):
                    label = EMBEDDED_FILES
                if label is not None:
                    removed.append(label)
                    del obj[index]
                elif _is_container(value):
                    stack.append(value)


def _leftovers(pdf: pikepdf.Pdf) -> list[str]:
    """What `_sanitise_graph` would still remove (used to check the written file)."""
    probe: list[str] = []
    stack: list[Any] = [pdf.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if getattr(obj, "is_indirect", False):
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if _is_dict(obj):
            keys = set(obj.keys())
            if keys & ({"/AA", "/JS", "/XFA"} | _EMBEDDED_FILE_KEYS):
                probe.append(str(sorted(keys)))
            if _is_plain_dict(obj.get("/OpenAction")):
                probe.append("/OpenAction")
            values = list(obj.values())
        elif _is_array(obj):
            values = list(obj)
        else:
            continue
        for value in values:
            if _action_label(value) or _is_embedded_file(value):
                probe.append("action")
            elif _is_container(value):
                stack.append(value)
    return probe


def _clean_pdf(data: bytes, *, max_pages: int, name: Any) -> tuple[bytes, int, list[str]]:
    def corrupt() -> ValidationError:
        return _error(
            _("The file “%(name)s” is not a valid PDF document (it may be damaged)."),
            "corrupt_pdf",
            name=name,
        )

    removed: list[str] = []
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise _error(
            _("The file “%(name)s” is protected by a password. Please upload it without the password."),
            "encrypted_pdf",
            name=name,
        ) from None
    except Exception:  # noqa: BLE001 - qpdf raises PdfError, but also others on hostile input
        raise corrupt() from None

    with pdf:
        try:
            pages = len(pdf.pages)
        except Exception:  # noqa: BLE001
            raise corrupt() from None
        if pages == 0:
            raise corrupt()
        if pages > max_pages:
            raise _error(
                _("The file “%(name)s” has %(pages)s pages; the maximum is %(max)s."),
                "too_many_pages",
                name=name,
                pages=pages,
                max=max_pages,
            )
        signed = _is_signed(pdf)
        if pdf.is_encrypted:  # encrypted without a user password: opened, saved unencrypted
            removed.append(ENCRYPTION)
        try:
            _sanitise_catalog(pdf, removed)
            _sanitise_annotations(pdf, removed)
            _sanitise_graph(pdf, removed)
        except Exception:  # noqa: BLE001 - broken object graph
            raise corrupt() from None

        if signed and not removed:
            # Writing the file anew would invalidate its digital signature(s); nothing
            # active was found, so the signed bytes are stored as they are.
            return data, pages, removed

        out = io.BytesIO()
        try:
            pdf.save(
                out,
                linearize=False,
                object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                deterministic_id=True,  # same upload -> same bytes -> stored once
            )
        except Exception:  # noqa: BLE001
            raise corrupt() from None
    content = out.getvalue()

    try:
        with pikepdf.open(io.BytesIO(content)) as check:
            ok = len(check.pages) == pages and not _leftovers(check)
    except Exception:  # noqa: BLE001
        ok = False
    if not ok:
        raise corrupt()
    return content, pages, removed


# --------------------------------------------------------------------------------------------
# Images


def _image_error(name: Any) -> ValidationError:
    return _error(
        _("The file “%(name)s” is not a valid image (it may be damaged)."), "corrupt_image", name=name
    )


def _check_dimensions(width: int, height: int, name: Any) -> None:
    if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE) or width * height > MAX_IMAGE_PIXELS:
        raise _error(
            _(
                "The image “%(name)s” measures %(width)s × %(height)s pixels; "
                "images may not exceed %(max)s pixels on a side or %(megapixels)s megapixels."
            ),
            "corrupt_image",
            name=name,
            width=width,
            height=height,
            max=MAX_IMAGE_SIDE,
            megapixels=MAX_IMAGE_PIXELS // 1_000_000,
        )


def _pillow_check(content: bytes, kind: str, size: tuple[int, int], progressive: bool, name: Any) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(content), formats=["JPEG" if kind == "jpeg" else "PNG"])
        with im:
            if im.size != size:
                raise _image_error(name)
            if kind == "png":
                im.verify()  # chunk CRCs; the pixel data was inflated by _clean_png
            elif not progressive or size[0] * size[1] <= _MAX_PROGRESSIVE_DECODE_PIXELS:
                # Trial decode at 1/8 scale (libjpeg DCT scaling): cheap, catches damage.
                im.draft("RGB", (max(1, size[0] // 8), max(1, size[1] // 8)))
                im.load()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many things on bad data
        raise _image_error(name) from None


# JPEG -----------------------------------------------------------------------------------------

_SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_PROGRESSIVE_SOF = frozenset({0xC2, 0xC6, 0xCA, 0xCE})


def _exif_info(tiff: bytes) -> tuple[int, bool]:
    """(orientation, has GPS) from a TIFF/EXIF block; (1, False) if unreadable."""
    try:
        order = {b"II": "<", b"MM": ">"}[tiff[:2]]
        (ifd,) = struct.unpack(order + "I", tiff[4:8])
        (count,) = struct.unpack(order + "H", tiff[ifd : ifd + 2])
        orientation, gps = 1, False
        for i in range(min(count, 1000)):
            entry = tiff[ifd + 2 + 12 * i : ifd + 14 + 12 * i]
            tag, typ, n = struct.unpack(order + "HHI", entry[:8])
            if tag == 0x0112 and typ == 3 and n == 1:
                (orientation,) = struct.unpack(order + "H", entry[8:10])
            elif tag == 0x8825:
                gps = True
        return (orientation if 1 <= orientation <= 8 else 1), gps
    except (KeyError, struct.error):
        return 1, False


def _orientation_segment(orientation: int) -> bytes:
    """A minimal APP1 EXIF segment holding only the orientation tag."""
    tiff = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _clean_jpeg(data: bytes, *, name: Any) -> tuple[bytes, list[str]]:
    removed: list[str] = []
    out = bytearray(b"\xff\xd8")
    pos, end = 2, len(data)
    size: tuple[int, int] | None = None
    progressive = False
    orientation = 1
    exif_at: int | None = None  # where in `out` a replacement orientation tag goes
    scans = 0
    while True:
        if pos >= end or data[pos] != 0xFF:
            raise _image_error(name)
        while pos < end and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= end:
            raise _image_error(name)
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            out += b"\xff\xd9"
            break
        if marker in (0x01,) or 0xD0 <= marker <= 0xD7:
            out += bytes((0xFF, marker))
            continue
        if marker in (0xD8, 0x00) or pos + 2 > end:
            raise _image_error(name)
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2 or pos + length > end:
            raise _image_error(name)
        payload = data[pos + 2 : pos + length]
        segment = bytes((0xFF, marker)) + data[pos : pos + length]
        pos += length

        if marker == 0xE0:  # APP0: JFIF (keep, minus thumbnail) / JFXX thumbnail (drop)
            if payload.startswith(b"JFIF\x00") and len(payload) >= 14:
                if len(payload) > 14:
                    removed.append(THUMBNAILS)
                payload = payload[:12] + b"\x00\x00"
                out += b"\xff\xe0" + struct.pack(">H", len(payload) + 2) + payload
            else:
                removed.append(THUMBNAILS if payload.startswith(b"JFXX") else PHOTO_METADATA)
            exif_at = len(out) if exif_at is None else exif_at
            continue
        if marker == 0xE1:  # APP1: EXIF or XMP
            if payload.startswith(b"Exif\x00\x00"):
                found, gps = _exif_info(payload[6:])
                orientation = found if orientation == 1 else orientation
                if gps:
                    removed.append(GPS_DATA)
            elif b"GPS" in payload:
                removed.append(GPS_DATA)
            removed.append(PHOTO_METADATA)
            continue
        if marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00"):
            out += segment
            continue
        if marker == 0xEE:  # APP14 Adobe: colour transform, needed to decode CMYK
            out += segment
            continue
        if 0xE2 <= marker <= 0xEF:
            removed.append(PHOTO_METADATA)
            continue
        if marker == 0xFE:
            removed.append(COMMENTS)
            continue

        if exif_at is None:
            exif_at = len(out)
        out += segment
        if marker in _SOF_MARKERS:
            if len(payload) < 6:
                raise _image_error(name)
            height, width = struct.unpack(">HH", payload[1:5])
            if size is not None:
                raise _image_error(name)
            _check_dimensions(width, height, name)
            size = (width, height)
            progressive = marker in _PROGRESSIVE_SOF
        elif marker == 0xDA:  # SOS: copy the entropy-coded data up to the next marker
            if size is None:
                raise _image_error(name)
            scans += 1
            start = pos
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= end:
                    raise _image_error(name)  # truncated: no end-of-image marker
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    pos += 1 if following == 0xFF else 2
                    continue
                break
            out += data[start:pos]

    if size is None or scans == 0:
        raise _image_error(name)
    if pos < end and data[pos:].strip(b"\x00"):
        removed.append(TRAILING_DATA)
    if orientation != 1:
        at = exif_at if exif_at is not None else 2
        out[at:at] = _orientation_segment(orientation)
    content = bytes(out)
    _pillow_check(content, "jpeg", size, progressive, name)
    if content == data:
        removed = []
    return content, removed


# PNG ------------------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = frozenset(
    b"IHDR PLTE IDAT IEND tRNS gAMA cHRM sRGB iCCP sBIT pHYs bKGD cICP mDCV cLLI acTL fcTL fdAT".split()
)
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _png_raw_size(width: int, height: int, depth: int, colour: int, interlace: int) -> int:
    bits = _PNG_CHANNELS[colour] * depth

    def rows(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits + 7) // 8)

    if not interlace:
        return rows(width, height)
    return sum(
        rows((width - x0 + dx - 1) // dx if width > x0 else 0, (height - y0 + dy - 1) // dy if height > y0 else 0)
        for x0, y0, dx, dy in _ADAM7
    )


def _clean_png(data: bytes, *, name: Any) -> tuple[bytes, list[str]]:
    removed: list[str] = []
    out = bytearray(_PNG_SIGNATURE)
    pos, end = len(_PNG_SIGNATURE), len(data)
    header: tuple[int, int, int, int, int] | None = None
    idat = zlib.decompressobj()
    inflated = 0
    expected = 0
    idat_state = "before"  # before / in / after: IDAT chunks must be consecutive
    has_palette = False
    while True:
        if pos + 12 > end:
            raise _image_error(name)  # truncated: no IEND
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        if length > 2**31 - 1 or pos + 12 + length > end:
            raise _image_error(name)
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        chunk = data[pos : pos + 12 + length]
        pos += 12 + length
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc or not ctype.isalpha():
            raise _image_error(name)
        if header is None and ctype != b"IHDR":
            raise _image_error(name)
        if ctype == b"IHDR":
            if header is not None or length != 13:
                raise _image_error(name)
            width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", body)
            if (
                colour not in _PNG_DEPTHS
                or depth not in _PNG_DEPTHS[colour]
                or compression != 0
                or filtering != 0
                or interlace not in (0, 1)
            ):
                raise _image_error(name)
            _check_dimensions(width, height, name)
            header = (width, height, depth, colour, interlace)
            expected = _png_raw_size(width, height, depth, colour, interlace)
        elif ctype == b"PLTE":
            has_palette = True
        elif ctype == b"IDAT":
            if idat_state == "after":
                raise _image_error(name)
            idat_state = "in"
            # Inflate without keeping the pixels: proves the data is complete and bounded.
            pending = body
            while pending:
                try:
                    inflated += len(idat.decompress(pending, 1 << 20))
                except zlib.error:
                    raise _image_error(name) from None
                if inflated > expected + 65536:
                    raise _image_error(name)
                pending = idat.unconsumed_tail
        elif ctype == b"IEND":
            out += chunk
            break
        if idat_state == "in" and ctype != b"IDAT":
            idat_state = "after"
        if ctype in _PNG_KEEP:
            out += chunk
        elif ctype[0:1].isupper():  # unknown critical chunk: we could not display it
            raise _image_error(name)
        elif ctype == b"eXIf":
            removed.append(PHOTO_METADATA)
            if _exif_info(body)[1]:
                removed.append(GPS_DATA)
        elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
            removed.append(GPS_DATA if b"GPS" in body else COMMENTS)
        else:
            removed.append(PHOTO_METADATA)

    if header is None or idat_state == "before" or (header[3] == 3 and not has_palette):
        raise _image_error(name)
    try:
        inflated += len(idat.flush())
    except zlib.error:
        raise _image_error(name) from None
    if inflated < expected:
        raise _image_error(name)
    if pos < end:
        removed.append(TRAILING_DATA)
    content = bytes(out)
    _pillow_check(content, "png", (header[0], header[1]), False, name)
    return content, removed
