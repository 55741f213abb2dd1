"""The tacit approval certificate: deemed approved by the administration's silence, under a rule."""

import pytest

from rokhas.pdfs.render import render_tacit_certificate

from .conftest import COMMUNE_AR, make_decision

URL = "https://rokhas.example.ma/verifier/7K3M-Q9TX"


@pytest.fixture(scope="module")
def certificate() -> bytes:
    return render_tacit_certificate(make_decision("tacit_approval"))


def test_says_approved_by_silence_under_the_rule(certificate, pdftotext):
    text = pdftotext(certificate)
    for expected in [
        "PC-2025-TMR-000142",
        "ATTESTATION D'APPROBATION",
        "TACITE",
        "DOSSIER RÉPUTÉ APPROUVÉ",
        "silence de l'administration",
        "Circulaire D.5808 : à défaut de décision dans un délai de",
        "Approbation tacite acquise le",
        "02/04/2025",
        "Délivrée le 02/04/2025",
        # Arabic, in logical order.
        f"جماعة {COMMUNE_AR}",
        "شهادة الموافقة الضمنية",
        "بسبب سكوت الإدارة",
        # pdftotext reorders lines mixing Arabic and digits run by run: assert on pure Arabic runs.
        "في حالة عدم البت داخل أجل",
        "الرخصة ممنوحة",
        "تاريخ اكتساب الموافقة الضمنية",
    ]:
        assert expected in text, expected
    assert "AUTORISATION ACCORDÉE" not in text


def test_verification_and_qr(certificate, pdftotext, decode_qr):
    text = pdftotext(certificate)
    assert "7K3M-Q9TX" in text
    assert "Document signé électroniquement — vérifiable sur" in text
    assert decode_qr(certificate) == [URL]


def test_arabic_font_embedded(certificate, pdffonts):
    fonts = pdffonts(certificate)
    assert all(font["emb"] == "yes" for font in fonts), fonts
    assert any("Naskh" in font["name"] or "Amiri" in font["name"] for font in fonts), fonts


@pytest.mark.parametrize("outcome", ["granted", "refused"])
def test_only_for_tacit_approvals(outcome):
    with pytest.raises(ValueError):
        render_tacit_certificate(make_decision(outcome))
