"""The decision (granted / refused): outcome, opinions, QR code, verification code, signature room."""

import io

import pikepdf
import pytest

from rokhas.pdfs.contexts import DecisionContext
from rokhas.pdfs.render import render_decision, render_decision_document

from .conftest import COMMUNE_AR, make_decision

URL = "https://rokhas.example.ma/verifier/7K3M-Q9TX"


@pytest.fixture(scope="module")
def granted() -> bytes:
    return render_decision(make_decision("granted"))


@pytest.fixture(scope="module")
def refused() -> bytes:
    return render_decision(make_decision("refused"))


def test_granted_decision_content(granted, pdftotext):
    text = pdftotext(granted)
    for expected in [
        "PC-2025-TMR-000142",
        "DÉCISION",
        "AUTORISATION ACCORDÉE",
        "Date de la décision",
        "02/04/2025",
        "Fait à Témara, le 02/04/2025",
        "Le Président du Conseil",
        "Mohamed Bennani",
        "AVIS DES SERVICES CONSULTÉS",
        "Agence urbaine de Rabat-Salé",
        "Favorable sous",
        "PRESCRIPTIONS ET CONDITIONS",
        "Construction d'une villa R+1",
        # Arabic, in logical order.
        f"جماعة {COMMUNE_AR}",
        "قرار",
        "تمت الموافقة على الطلب ومنح الرخصة",
        "رئيس المجلس الجماعي",
        "آراء المصالح المستشارة",
        "الوقاية المدنية",
        "يجب احترام التراجع بخمسة أمتار على الطريق العمومية.",
        "الشروط والتوجيهات",
    ]:
        assert expected in text, expected
    assert "MOTIFS DU REFUS" not in text
    assert "VOIES DE RECOURS" not in text


def test_refused_decision_shows_reasons_and_appeal(refused, pdftotext):
    text = pdftotext(refused)
    for expected in [
        "DEMANDE REFUSÉE",
        "تم رفض الطلب",
        "MOTIFS DU REFUS",
        "أسباب الرفض",
        "coefficient d'occupation du sol",
        "VOIES DE RECOURS",
        "طرق الطعن",
        "tribunal administratif de Rabat",
        "المحكمة الإدارية بالرباط",
    ]:
        assert expected in text, expected
    assert "PRESCRIPTIONS ET CONDITIONS" not in text


def test_appeal_is_printed_for_refusals_only(pdftotext):
    ctx = make_decision(
        "granted", appeal_fr="Recours gracieux sous 60 jours.", appeal_ar="تظلم داخل أجل 60 يوما."
    )
    assert "VOIES DE RECOURS" not in pdftotext(render_decision(ctx))


def test_verification_code_and_signed_note(granted, pdftotext):
    text = pdftotext(granted)
    assert "7K3M-Q9TX" in text
    assert "Code de vérification" in text and "رمز التحقق" in text
    assert "Document signé électroniquement — vérifiable sur" in text
    assert "وثيقة موقعة إلكترونيا" in text
    assert URL in text.replace("\n", "")


def test_verification_code_is_large_and_monospaced(granted):
    with pikepdf.open(io.BytesIO(granted)) as pdf:
        fonts = {str(f.BaseFont) for f in pdf.pages[0].Resources.Font.values()}
    assert any("Mono" in name for name in fonts), fonts


def test_qr_code_decodes_to_the_verification_url(granted, decode_qr):
    assert decode_qr(granted) == [URL]


def test_refused_decision_also_carries_the_qr_code(refused, decode_qr):
    assert decode_qr(refused) == [URL]


def test_fonts_are_embedded_including_an_arabic_one(granted, pdffonts):
    fonts = pdffonts(granted)
    assert all(font["emb"] == "yes" for font in fonts), fonts
    assert any("Naskh" in font["name"] or "Amiri" in font["name"] for font in fonts), fonts


def test_metadata(granted):
    with pikepdf.open(io.BytesIO(granted)) as pdf:
        assert "PC-2025-TMR-000142" in str(pdf.docinfo["/Title"])
        assert "Autorisation accordée" in str(pdf.docinfo["/Subject"])
        assert str(pdf.Root.Lang) == "fr-MA"
        assert len(pdf.pages) == 1
        assert "/ID" in pdf.trailer  # pyHanko's incremental signature keeps the file identifier


def test_signature_box_is_empty_room_at_the_bottom(pdfwords):
    rendered = render_decision_document(make_decision())
    box = rendered.signature_box
    assert box is not None
    x1, y1, x2, y2 = box.box
    assert x2 - x1 > 150 and y2 - y1 > 60
    assert y2 < 841.89 / 2  # lower half of the page
    words = pdfwords(rendered.content)[box.page]
    top, bottom = 841.89 - y2, 841.89 - y1
    inside = [w[4] for w in words if x1 <= w[0] and w[2] <= x2 and top <= w[1] and w[3] <= bottom]
    # Only the small caption sits inside the box.
    assert "Signature" in inside
    assert "Mohamed" not in inside


def test_rendering_is_deterministic():
    assert render_decision(make_decision()) == render_decision(make_decision())


def test_tacit_outcome_renders_the_certificate(pdftotext):
    text = pdftotext(render_decision(make_decision("tacit_approval")))
    assert "ATTESTATION D'APPROBATION" in text


def test_unknown_outcome_is_rejected():
    with pytest.raises(ValueError):
        make_decision(outcome="maybe")
    with pytest.raises(TypeError):
        DecisionContext("PC-1")  # keyword arguments only
