"""Render the bilingual official PDFs (receipt, decision, tacit approval certificate).

The HTML comes from Django templates in ``templates/pdfs/``; WeasyPrint lays it out with Pango and
HarfBuzz, so Arabic is really shaped and ordered right to left. Fonts are looked up by family name
through fontconfig: Amiri (``fonts-hosny-amiri``) then Noto Naskh Arabic for Arabic, Noto Sans /
Noto Serif (``fonts-noto-core``) then DejaVu for French.

Output is deterministic for a given context: the PDF dates come from the context, and the file
identifier is a hash of the content.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from .contexts import DecisionContext, DocumentLine, Opinion, ReceiptContext

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "pdfs"
STYLESHEET = TEMPLATE_DIR / "document.css"
SIGNATURE_BOX_ID = "signature-box"

# CSS px -> PDF points.
_PT_PER_PX = 0.75

OUTCOME_LABELS = {
    "granted": ("Autorisation accordée", "تمت الموافقة على الطلب ومنح الرخصة"),
    "refused": ("Demande refusée", "تم رفض الطلب"),
    "tacit_approval": ("Approbation tacite", "موافقة ضمنية"),
}


@dataclass(frozen=True)
class SignatureBox:
    """Where the signature appearance goes, in pyHanko's terms.

    ``page`` is 0-based; ``box`` is ``(x1, y1, x2, y2)`` in PDF points from the bottom-left corner,
    ready for ``pyhanko.sign.fields.SigFieldSpec(on_page=page, box=box)``.
    """

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    signature_box: SignatureBox | None


# Parsed stylesheet and font configuration, kept per thread (Pango font maps are not shared
# safely between threads); building them costs about 0.1 s.
_local = threading.local()


def _font_config() -> FontConfiguration:
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def _stylesheet() -> CSS:
    if not hasattr(_local, "stylesheet"):
        _local.stylesheet = CSS(filename=str(STYLESHEET), font_config=_font_config())
    return _local.stylesheet


def w3c_datetime(value: date | datetime) -> str:
    """A W3C date-time for the PDF metadata (WeasyPrint's ``dcterms.created``)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value.isoformat(timespec="seconds")


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as an inline SVG element (sized by CSS)."""
    qr = segno.make(data, error="m", micro=False)
    return qr.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")


def _parties(ctx: ReceiptContext | DecisionContext) -> list[tuple]:
    return [
        (ctx.applicant, "Demandeur", "صاحب الطلب"),
        (ctx.owner, "Propriétaire", "المالك"),
    ]


def _find_signature_box(document) -> SignatureBox | None:
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if (
                isinstance(box, boxes.BlockBox)
                and element is not None
                and element.get("id") == SIGNATURE_BOX_ID
            ):
                x, y = box.border_box_x(), box.border_box_y()
                width, height = box.border_width(), box.border_height()
                page_height = page.height
                return SignatureBox(
                    page=index,
                    box=(
                        round(x * _PT_PER_PX, 2),
                        round((page_height - y - height) * _PT_PER_PX, 2),
                        round((x + width) * _PT_PER_PX, 2),
                        round((page_height - y) * _PT_PER_PX, 2),
                    ),
                )
    return None


def _render(template: str, context: dict) -> RenderedPdf:
    html = render_to_string(template, context)
    document = HTML(string=html, base_url=str(TEMPLATE_DIR)).render(
        stylesheets=[_stylesheet()], font_config=_font_config()
    )
    content = document.write_pdf(pdf_identifier=True)
    return RenderedPdf(content=content, signature_box=_find_signature_box(document))


def render_receipt_document(ctx: ReceiptContext) -> RenderedPdf:
    if not isinstance(ctx, ReceiptContext):
        raise TypeError(f"expected ReceiptContext, got {type(ctx).__name__}")
    return _render(
        "pdfs/receipt.html",
        {
            "ctx": ctx,
            "documents": [DocumentLine(*line) for line in ctx.documents],
            "parties": _parties(ctx),
            "created_w3c": w3c_datetime(ctx.filed_at),
        },
    )


def render_decision_document(ctx: DecisionContext) -> RenderedPdf:
    """A decision for ``granted`` / ``refused``; the tacit certificate for ``tacit_approval``."""
    if not isinstance(ctx, DecisionContext):
        raise TypeError(f"expected DecisionContext, got {type(ctx).__name__}")
    outcome_fr, outcome_ar = OUTCOME_LABELS[ctx.outcome]
    template = "pdfs/tacit_certificate.html" if ctx.outcome == "tacit_approval" else "pdfs/decision.html"
    return _render(
        template,
        {
            "ctx": ctx,
            "outcome_fr": outcome_fr,
            "outcome_ar": outcome_ar,
            "opinions": [Opinion(*row) for row in ctx.opinions],
            "parties": _parties(ctx),
            "qr_svg": mark_safe(qr_svg(ctx.verification_url)) if ctx.verification_url else "",
            "created_w3c": w3c_datetime(ctx.decided_at),
        },
    )


def render_receipt(ctx: ReceiptContext) -> bytes:
    """The filing receipt (récépissé de dépôt / وصل الإيداع) as PDF bytes."""
    return render_receipt_document(ctx).content


def render_decision(ctx: DecisionContext) -> bytes:
    """The decision as PDF bytes (``tacit_approval`` gives the tacit approval certificate)."""
    return render_decision_document(ctx).content


def render_tacit_certificate(ctx: DecisionContext) -> bytes:
    """The tacit approval certificate (attestation d'approbation tacite) as PDF bytes."""
    if ctx.outcome != "tacit_approval":
        raise ValueError(f"a tacit approval certificate needs outcome 'tacit_approval', not {ctx.outcome!r}")
    return render_decision_document(ctx).content


def render_template_pdf(template: str, context: dict) -> bytes:
    """Another official document (e.g. a commission's minutes) laid out with the same
    stylesheet, fonts and shaping; `template` may live in any app and extend nothing."""
    return _render(template, context).content
