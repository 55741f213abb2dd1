"""The filing receipt: bilingual content, Arabic shaped right to left, fonts embedded, metadata."""

import io

import pikepdf
import pytest

from rokhas.pdfs.contexts import Party
from rokhas.pdfs.render import render_receipt, render_receipt_document

from .conftest import COMMUNE_AR, make_receipt


@pytest.fixture(scope="module")
def receipt_pdf() -> bytes:
    return render_receipt(make_receipt())


def test_is_a_one_page_a4_pdf(receipt_pdf):
    assert receipt_pdf.startswith(b"%PDF-")
    with pikepdf.open(io.BytesIO(receipt_pdf)) as pdf:
        assert len(pdf.pages) == 1
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
        assert (round(width), round(height)) == (595, 842)


def test_french_labels_and_values(receipt_pdf, pdftotext):
    text = pdftotext(receipt_pdf)
    for expected in [
        "PC-2025-TMR-000142",
        "ROYAUME DU MAROC",
        "Ministère de l'Intérieur",
        "Commune de Témara",
        "RÉCÉPISSÉ DE DÉPÔT",
        "Référence du dossier",
        "Date et heure de dépôt",
        "Tour d'instruction n°",
        "DÉLAI LÉGAL DE RÉPONSE",
        "PIÈCES DÉPOSÉES",
        "Permis de construire",
        "Petit projet",
        "Youssef El Amrani",
        "Architecte mandataire",
        "Plan de situation",
        "plan_situation_1-2000.pdf",
        "3f9a1c2e7b4d",
        "Il ne vaut pas autorisation.",
    ]:
        assert expected in text, expected


def test_dates_are_dd_mm_yyyy_in_local_time(receipt_pdf, pdftotext):
    text = pdftotext(receipt_pdf)
    assert "12/03/2025 10:47" in text  # filed_at, Africa/Casablanca
    assert "09/04/2025" in text  # legal deadline


def test_arabic_text_is_extractable_in_logical_order(receipt_pdf, pdftotext):
    text = pdftotext(receipt_pdf)
    for expected in [
        "المملكة المغربية",
        "وزارة الداخلية",
        f"جماعة {COMMUNE_AR}",
        "وصل الإيداع",
        "مرجع الملف",
        "الأجل القانوني للرد",
        "الوثائق المودعة",
        "مذكرة حساب الخرسانة المسلحة",
        "فاطمة الزهراء بنعلي",
        "المهندس المعماري الوكيل",
        "شهادة_الملكية",  # an Arabic file name, shaped (not DejaVu Sans Mono's unjoined letters)
    ]:
        assert expected in text, expected


def test_arabic_is_laid_out_right_to_left(receipt_pdf, pdfwords):
    words = pdfwords(receipt_pdf)[0]
    # pdftotext -bbox gives Arabic words in visual order: their letters come out reversed.
    jamaa = [w for w in words if w[4] == "جماعة"[::-1]]
    commune = [w for w in words if w[4] == COMMUNE_AR[::-1]]
    assert jamaa and commune
    same_line = [(j, c) for j in jamaa for c in commune if abs(j[1] - c[1]) < 2]
    assert same_line, "'جماعة' and the commune name are not on one line"
    for j, c in same_line:
        assert j[0] > c[0], "the first Arabic word must be to the right of the second"
    # ... and the Arabic column is on the right half of the page, the French one on the left.
    assert all(w[0] > 297 for w in jamaa)
    assert [w for w in words if w[4] == "ROYAUME"][0][0] < 100


def test_fonts_are_embedded_including_an_arabic_one(receipt_pdf, pdffonts):
    fonts = pdffonts(receipt_pdf)
    assert fonts
    assert all(font["emb"] == "yes" for font in fonts), fonts
    assert any("Naskh" in font["name"] or "Amiri" in font["name"] for font in fonts), fonts


def test_metadata_title_and_language(receipt_pdf):
    with pikepdf.open(io.BytesIO(receipt_pdf)) as pdf:
        title = str(pdf.docinfo["/Title"])
        assert "PC-2025-TMR-000142" in title
        assert "Récépissé de dépôt" in title and "وصل الإيداع" in title
        assert str(pdf.Root.Lang) == "fr-MA"
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20250312")


def test_rendering_is_deterministic():
    assert render_receipt(make_receipt()) == render_receipt(make_receipt())


def test_documents_given_as_plain_tuples_or_empty(pdftotext):
    text = pdftotext(render_receipt(make_receipt(documents=[])))
    assert "Aucune pièce" in text
    assert "لا توجد وثائق" in text


def test_user_content_is_escaped_not_interpreted(pdftotext):
    ctx = make_receipt(applicant=Party("Dupont & Fils <SARL>", "Société", "شركة"))
    text = pdftotext(render_receipt(ctx))
    assert "Dupont & Fils <SARL>" in text


def test_has_a_stamp_box_for_the_signature(pdfwords):
    rendered = render_receipt_document(make_receipt())
    box = rendered.signature_box
    assert box is not None and box.page == 0
    x1, y1, x2, y2 = box.box
    assert 0 < x1 < x2 <= 595.3 and 0 < y1 < y2 <= 841.9
    assert x2 - x1 > 150 and y2 - y1 > 60  # room for a visible signature appearance
    caption = [w for w in pdfwords(rendered.content)[0] if w[4] == "Cachet"]
    assert caption
    cx1, cy1, cx2, cy2, _ = caption[0]
    assert x1 <= cx1 and cx2 <= x2 and 841.89 - y2 <= cy1 and cy2 <= 841.89 - y1
