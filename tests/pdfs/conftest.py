"""Shared fixtures for the PDF tests: realistic bilingual contexts and poppler helpers.

A missing poppler binary (or QR decoder) fails the test, unless ROKHAS_ALLOW_SKIP=1 turns the
failure into a skip.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rokhas.pdfs.contexts import DecisionContext, Party, ReceiptContext
from tests.conftest import missing, require_binary

CASABLANCA = ZoneInfo("Africa/Casablanca")

COMMUNE_FR = "Témara"
COMMUNE_AR = "تمارة"


def run_tool(name: str, *args: str, pdf: bytes, tmp_path: Path) -> str:
    """Run a poppler tool on ``pdf`` (written to a temporary file) and return its stdout."""
    binary = require_binary(name)
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [binary, *args, str(source), *(["-"] if name == "pdftotext" else [])],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


# pdftotext wraps right-to-left runs in U+202B ... U+202C; our templates add U+2066 ... U+2069.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TRAILING_PUNCTUATION = re.compile("^([.,:;،؛]+)(\u202b.*\u202c)$", re.MULTILINE)


@pytest.fixture
def pdftotext(tmp_path):
    """Text of the PDF in logical order, bidi controls removed, all whitespace (line breaks too) collapsed."""

    def extract(pdf: bytes) -> str:
        raw = run_tool("pdftotext", "-enc", "UTF-8", pdf=pdf, tmp_path=tmp_path)
        # pdftotext puts an Arabic line's final punctuation (visually leftmost) before the line.
        raw = TRAILING_PUNCTUATION.sub(r"\2\1", raw)
        return re.sub(r"\s+", " ", BIDI_CONTROLS.sub("", raw))

    return extract


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@pytest.fixture
def pdfwords(tmp_path):
    """Words with their boxes (points, origin top-left) from ``pdftotext -bbox``, page by page.

    Arabic words come out in visual order, i.e. with their letters reversed.
    """

    def words(pdf: bytes) -> list[list[tuple[float, float, float, float, str]]]:
        raw = run_tool("pdftotext", "-enc", "UTF-8", "-bbox", pdf=pdf, tmp_path=tmp_path)
        pages = []
        for page in raw.split("<page ")[1:]:
            pages.append(
                [
                    (float(a), float(b), float(c), float(d), BIDI_CONTROLS.sub("", t))
                    for a, b, c, d, t in WORD.findall(page)
                ]
            )
        return pages

    return words


@pytest.fixture
def pdffonts(tmp_path):
    def fonts(pdf: bytes) -> list[dict[str, str]]:
        out = run_tool("pdffonts", pdf=pdf, tmp_path=tmp_path)
        lines = out.splitlines()
        # Columns: name type encoding emb sub uni object ID; name has no spaces in WeasyPrint output.
        rows = []
        for line in lines[2:]:
            parts = line.split()
            if len(parts) >= 7:
                rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
        return rows

    return fonts


@pytest.fixture
def pdftoppm(tmp_path):
    def rasterise(pdf: bytes, dpi: int = 150) -> list[Path]:
        binary = require_binary("pdftoppm")
        source = tmp_path / "raster.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [binary, "-r", str(dpi), "-png", str(source), str(tmp_path / "page")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return sorted(tmp_path.glob("page*.png"))

    return rasterise


@pytest.fixture
def decode_qr(pdftoppm):
    """Decode every QR code on the rasterised pages with zxing-cpp."""

    def decode(pdf: bytes) -> list[str]:
        try:
            import zxingcpp
            from PIL import Image
        except ImportError:
            missing("the zxing-cpp package (pip install zxing-cpp)")
        texts = []
        for png in pdftoppm(pdf, 150):
            with Image.open(png) as image:
                texts += [
                    found.text
                    for found in zxingcpp.read_barcodes(image)
                    if found.format == zxingcpp.BarcodeFormat.QRCode
                ]
        return texts

    return decode


def make_receipt(**changes) -> ReceiptContext:
    ctx = ReceiptContext(
        reference="PC-2025-TMR-000142",
        commune_fr=COMMUNE_FR,
        commune_ar=COMMUNE_AR,
        procedure_fr="Permis de construire",
        procedure_ar="رخصة البناء",
        project_class_fr="Petit projet",
        project_class_ar="مشروع صغير",
        filed_at=datetime(2025, 3, 12, 10, 47, tzinfo=CASABLANCA),
        legal_deadline=date(2025, 4, 9),
        deadline_rule_fr="Circulaire D.5808 : décision dans un délai de 20 jours ouvrables à compter du dépôt du dossier complet.",
        deadline_rule_ar="الدورية D.5808: البت في الطلب داخل أجل 20 يوم عمل ابتداء من تاريخ إيداع الملف الكامل.",
        applicant=Party("Youssef El Amrani", "Architecte mandataire", "المهندس المعماري الوكيل"),
        owner=Party("فاطمة الزهراء بنعلي", "Propriétaire du terrain", "مالكة العقار"),
        documents=[
            ("Demande signée", "الطلب الموقع", "demande_signee.pdf", "9c1f4e07a2b3"),
            ("Plan de situation", "تصميم الموقع", "plan_situation_1-2000.pdf", "3f9a1c2e7b4d"),
            ("Plans architecturaux", "التصاميم المعمارية", "plans_archi_v2.pdf", "a07be45d19c2"),
            ("Certificat de propriété", "شهادة الملكية", "شهادة_الملكية.pdf", "e51d0c8f6a93"),
            (
                "Note de calcul béton armé",
                "مذكرة حساب الخرسانة المسلحة",
                "note_calcul_BA.pdf",
                "b2c8d9e0f117",
            ),
        ],
        round_number=2,
    )
    return replace(ctx, **changes) if changes else ctx


def make_decision(outcome: str = "granted", **changes) -> DecisionContext:
    ctx = DecisionContext(
        reference="PC-2025-TMR-000142",
        commune_fr=COMMUNE_FR,
        commune_ar=COMMUNE_AR,
        procedure_fr="Permis de construire",
        procedure_ar="رخصة البناء",
        project_class_fr="Petit projet",
        project_class_ar="مشروع صغير",
        outcome=outcome,
        decided_at=date(2025, 4, 2),
        signer_name="Mohamed Bennani",
        signer_title_fr="Le Président du Conseil communal",
        signer_title_ar="رئيس المجلس الجماعي",
        applicant=Party("Youssef El Amrani", "Architecte mandataire", "المهندس المعماري الوكيل"),
        owner=Party("فاطمة الزهراء بنعلي", "Propriétaire du terrain", "مالكة العقار"),
        project_summary_fr="Construction d'une villa R+1 avec piscine, lotissement Al Firdaous, lot n° 27, titre foncier 12345/R.",
        project_summary_ar="بناء فيلا من طابق أرضي وطابق علوي مع مسبح، تجزئة الفردوس، البقعة رقم 27، الرسم العقاري 12345/R.",
        conditions=(
            "يجب احترام التراجع بخمسة أمتار على الطريق العمومية.\n"
            "يجب ربط البناية بشبكة التطهير السائل قبل طلب رخصة السكن."
        ),
        reasons="",
        appeal_fr="",
        appeal_ar="",
        opinions=[
            (
                "Agence urbaine de Rabat-Salé",
                "الوكالة الحضرية للرباط-سلا",
                "Favorable",
                "موافق",
                "Conforme au plan d'aménagement ; recul de 5 m à respecter.",
            ),
            (
                "Protection civile",
                "الوقاية المدنية",
                "Favorable sous réserve",
                "موافق بشرط",
                "تركيب طفايات الحريق وفق المعايير الجاري بها العمل.",
            ),
        ],
        verification_code="7K3M-Q9TX",
        verification_url="https://rokhas.example.ma/verifier/7K3M-Q9TX",
        silence_rule_fr="",
        silence_rule_ar="",
    )
    if outcome == "refused":
        ctx = replace(
            ctx,
            conditions="",
            reasons=(
                "Le projet dépasse le coefficient d'occupation du sol autorisé (COS 1,2 > 0,8).\n"
                "Avis défavorable de l'Agence urbaine."
            ),
            appeal_fr="Recours gracieux auprès du Président du Conseil communal dans un délai de 60 jours, ou recours devant le tribunal administratif de Rabat.",
            appeal_ar="يمكن تقديم تظلم إلى رئيس المجلس الجماعي داخل أجل 60 يوما، أو الطعن أمام المحكمة الإدارية بالرباط.",
            opinions=[
                (
                    "Agence urbaine de Rabat-Salé",
                    "الوكالة الحضرية للرباط-سلا",
                    "Défavorable",
                    "غير موافق",
                    "COS dépassé.",
                ),
            ],
        )
    if outcome == "tacit_approval":
        ctx = replace(
            ctx,
            signer_name="Plateforme Rokhas",
            signer_title_fr="Pour la Commune, le guichet électronique",
            signer_title_ar="عن الجماعة، الشباك الإلكتروني",
            conditions="",
            opinions=[],
            silence_rule_fr="Circulaire D.5808 : à défaut de décision dans un délai de 20 jours ouvrables, l'autorisation est réputée accordée.",
            silence_rule_ar="الدورية D.5808: في حالة عدم البت داخل أجل 20 يوم عمل، تعتبر الرخصة ممنوحة.",
        )
    return replace(ctx, **changes) if changes else ctx
