"""Small builders for test uploads (PDFs made with pikepdf, images with Pillow)."""

from __future__ import annotations

import io
import struct
import zlib

import pikepdf
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def pdf_bytes(pdf: pikepdf.Pdf, **save_options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **save_options)
    return out.getvalue()


def make_pdf(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    return pdf_bytes(pdf)


def make_jpeg(size: tuple[int, int] = (64, 48), **save_options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 30, 30)).save(out, "JPEG", **save_options)
    return out.getvalue()


def make_png(size: tuple[int, int] = (64, 48), mode: str = "RGB", **save_options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG", **save_options)
    return out.getvalue()


def png_chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)


def raw_png(width: int, height: int, *, idat: bytes | None = None, interlace: int = 0, extra: bytes = b"") -> bytes:
    """An 8-bit greyscale PNG assembled by hand (to state any width/height in IHDR)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, interlace)
    if idat is None:
        idat = zlib.compress(b"\x00" * (height * (width + 1)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + extra
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def error_code(exc_info) -> str:
    error: ValidationError = exc_info.value
    return error.error_list[0].code


def error_params(exc_info) -> dict:
    return exc_info.value.error_list[0].params


class FakeUpload:
    """A file-like upload whose declared `.size` may lie and whose reads are recorded;
    reading past `read_limit` bytes in total fails the test."""

    def __init__(self, name, data: bytes = b"", *, size=None, read_limit: int | None = None, length: int = 0):
        self.name = name
        self._data = data
        self._length = length or len(data)
        self.size = self._length if size is None else size
        self.read_limit = read_limit
        self.requested = 0
        self.position = 0

    def seek(self, position: int) -> None:
        self.position = position

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            raise AssertionError("read() without a size: the whole upload would be loaded")
        self.requested += size
        if self.read_limit is not None and self.requested > self.read_limit:
            raise AssertionError(f"read {self.requested} bytes, more than {self.read_limit}")
        start, self.position = self.position, min(self.position + size, self._length)
        if self._data:
            return self._data[start : self.position]
        return b"\x00" * (self.position - start)
