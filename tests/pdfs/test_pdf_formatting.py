"""Formatting filters used by the PDF templates: dates, text direction, isolation, escaping."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rokhas.pdfs.render import qr_svg
from rokhas.pdfs.templatetags.pdfs_format import commune_de, dmy, dmy_hm, ltr, text_direction


def test_dates_are_dd_mm_yyyy():
    assert dmy(date(2025, 3, 7)) == "07/03/2025"
    assert dmy(None) == ""


def test_aware_datetimes_are_shown_in_casablanca_time():
    utc = datetime(2025, 6, 12, 23, 30, tzinfo=ZoneInfo("UTC"))
    # Morocco is UTC+1 outside Ramadan: the local date is the next day.
    assert dmy_hm(utc) == "13/06/2025 00:30"
    assert dmy(utc) == "13/06/2025"
    # During Ramadan (March 2025) it is UTC+0.
    assert dmy_hm(datetime(2025, 3, 12, 23, 30, tzinfo=ZoneInfo("UTC"))) == "12/03/2025 23:30"
    assert dmy_hm(date(2025, 3, 12)) == "12/03/2025"


def test_text_direction_follows_the_first_strong_character():
    assert text_direction("يجب احترام التراجع") == "rtl"
    assert text_direction("12 — يجب") == "rtl"
    assert text_direction("Conforme au plan") == "ltr"
    assert text_direction("123 / 456") == "ltr"


def test_ltr_isolates_and_escapes():
    html = ltr("PC-<1>&2")
    assert html == '<bdi dir="ltr" class="ltr">\u2066PC-&lt;1&gt;&amp;2\u2069</bdi>'


def test_commune_de_elides_before_a_vowel():
    assert commune_de("Agadir") == "Commune d'Agadir"
    assert commune_de("Témara") == "Commune de Témara"
    assert commune_de("Île") == "Commune d'Île"


def test_qr_svg_is_an_inline_svg_of_the_url():
    svg = qr_svg("https://rokhas.example.ma/verifier/ABCD")
    assert svg.startswith("<svg") and "viewBox" in svg and "<path" in svg
