"""Images: checked structure and dimensions, metadata (GPS!) removed, pixels untouched."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, PngImagePlugin

from rokhas.documents.validation import validate_upload

from .builders import error_code, make_jpeg, make_png, png_chunk, raw_png, upload


def phone_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (33.0, 35.0, 12.0), "W", (7.0, 36.0, 5.0)
    return exif


def refuse(name, data):
    with pytest.raises(ValidationError) as exc_info:
        validate_upload(upload(name, data))
    return exc_info


def test_jpeg_gps_exif_and_comments_are_removed_orientation_kept():
    data = make_jpeg(exif=phone_exif(orientation=6), comment=b"Rue secrete 12")
    assert b"PhoneMaker" in data and b"Rue secrete" in data
    clean = validate_upload(upload("photo.jpg", data))
    assert b"PhoneMaker" not in clean.content and b"Rue secrete" not in clean.content
    assert {"location data (GPS)", "photo metadata (EXIF/XMP)", "comments and text metadata"} <= set(clean.removed)
    with Image.open(io.BytesIO(clean.content)) as im:
        exif = im.getexif()
        assert dict(exif) == {0x0112: 6}  # only the orientation, so the photo still shows upright
        assert exif.get_ifd(0x8825) == {}
        assert im.size == (64, 48)
        im.load()


def test_jpeg_pixels_are_not_re_encoded():
    data = make_jpeg(exif=phone_exif(orientation=1))
    clean = validate_upload(upload("photo.jpg", data))
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(clean.content)) as after:
        assert before.tobytes() == after.tobytes()


def test_plain_jpeg_is_unchanged():
    data = make_jpeg(progressive=True)
    clean = validate_upload(upload("photo.jpg", data))
    assert (clean.content, clean.sanitised) == (data, False)


def test_data_after_the_jpeg_is_dropped():
    data = make_jpeg()
    clean = validate_upload(upload("photo.jpg", data + b"PK\x03\x04hidden archive"))
    assert clean.content == data
    assert clean.removed == ("data after the end of the file",)


def test_png_text_exif_and_trailing_data_are_removed():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Rue secrete 12")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta><exif:GPSLatitude>33,35N</exif:GPSLatitude></x:xmpmeta>")
    data = make_png(mode="RGBA", pnginfo=info, exif=phone_exif()) + b"<script>alert(1)</script>"
    clean = validate_upload(upload("plan.png", data))
    assert b"Rue secrete" not in clean.content and b"GPSLatitude" not in clean.content
    assert b"<script>" not in clean.content
    assert {"location data (GPS)", "photo metadata (EXIF/XMP)", "data after the end of the file"} <= set(clean.removed)
    with Image.open(io.BytesIO(data)) as before, Image.open(io.BytesIO(clean.content)) as after:
        assert before.tobytes() == after.tobytes()


@pytest.mark.parametrize("mode", ["1", "L", "P", "LA", "RGB", "RGBA", "I;16"])
def test_png_modes_are_accepted_unchanged(mode):
    data = make_png(mode=mode)
    clean = validate_upload(upload("plan.png", data))
    assert (clean.content, clean.sanitised) == (data, False)


def test_interlaced_png_is_accepted():
    width, height = 13, 9
    # Adam7 raw size for 8-bit greyscale: sum over the 7 passes of rows × (1 + width).
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = sum(
        ((height - y0 + dy - 1) // dy) * (1 + (width - x0 + dx - 1) // dx)
        for x0, y0, dx, dy in passes
        if width > x0 and height > y0
    )
    clean = validate_upload(upload("plan.png", raw_png(width, height, idat=zlib.compress(b"\x00" * raw), interlace=1)))
    assert clean.kind == "png"


@pytest.mark.parametrize(
    ("width", "height"),
    [(20_001, 10), (10, 30_000), (0, 10), (20_000, 20_000)],
    ids=["too-wide", "too-high", "zero", "too-many-pixels"],
)
def test_png_with_insane_dimensions_is_refused(width, height):
    # The IDAT is tiny: the header alone decides, nothing is inflated.
    data = raw_png(width, height, idat=zlib.compress(b"\x00" * 100))
    assert error_code(refuse("plan.png", data)) == "corrupt_image"


def test_png_decompression_bomb_is_refused_early():
    # Declares 10×10 but inflates to 10 MB: stopped after the expected size.
    data = raw_png(10, 10, idat=zlib.compress(b"\x00" * 10_000_000))
    assert error_code(refuse("plan.png", data)) == "corrupt_image"


def test_jpeg_with_insane_dimensions_is_refused():
    data = bytearray(make_jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 10, 40_000)  # height, width
    assert error_code(refuse("photo.jpg", bytes(data))) == "corrupt_image"


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[: len(d) // 2],  # truncated
        lambda d: d[:2] + b"\xff\xe1\x00",  # segment cut in the middle
        lambda d: d.replace(b"\xff\xda", b"\xff\xfe", 1),  # no scan at all
    ],
    ids=["truncated", "cut-segment", "no-scan"],
)
def test_damaged_jpeg_is_refused(damage):
    assert error_code(refuse("photo.jpg", damage(make_jpeg()))) == "corrupt_image"


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[: len(d) - 20],  # truncated, no IEND
        lambda d: d[:-5] + bytes([d[-5] ^ 0xFF]) + d[-4:],  # bad CRC on IEND
        lambda d: d[:8] + png_chunk(b"tEXt", b"a\x00b") + d[8:],  # IHDR not first
        lambda d: raw_png(10, 10, idat=zlib.compress(b"\x00" * 50)),  # too little pixel data
        lambda d: raw_png(10, 10, idat=b"not zlib at all"),
        lambda d: raw_png(10, 10, extra=png_chunk(b"ZZZZ", b"x")),  # unknown critical chunk
    ],
    ids=["truncated", "bad-crc", "ihdr-not-first", "short-data", "bad-zlib", "unknown-critical"],
)
def test_damaged_png_is_refused(damage):
    assert error_code(refuse("plan.png", damage(make_png()))) == "corrupt_image"
