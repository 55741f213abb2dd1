"""How much does a PAdES B-LT signature (rokhas.signing.services.sign_pdf) cost compared with a
bare pyHanko signature of the same PDF (SimpleSigner, no time-stamp, no validation data)?

    .venv/bin/python bench/bench_signing.py [-n 30] [--key-type ec|rsa] [--pdf some.pdf]

Uses a throw-away dev PKI in a temporary directory; touches no database. Prints medians and
the ratio (target: sign_pdf <= 1.5 x bare), whatever they turn out to be.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _minimal_pdf() -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    writer = PdfFileWriter()
    font = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
    }))
    resources = generic.DictionaryObject({
        generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/F1"): font}),
    })
    content = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 14 Tf 72 760 Td (Rokhas) Tj ET"))
    writer.insert_page(PageObject(contents=content, resources=resources,
                                  media_box=generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)])))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _time(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=30)
    parser.add_argument("--key-type", choices=["ec", "rsa"], default="ec",
                        help="signer key: ec = ECDSA P-256 (dev default), rsa = RSA-3072")
    parser.add_argument("--pdf", type=Path, help="PDF to sign (default: a one-page PDF)")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="rokhas-bench-pki-")
    os.environ["ROKHAS_PKI_DIR"] = tmp.name
    os.environ["ROKHAS_TSA_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rokhas.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from rokhas.signing import pki
    from rokhas.signing.models import SignerCredential
    from rokhas.signing.services import sign_pdf

    pin = "bench-1234"
    pki.ensure_dev_pki()
    issued = pki.issue_signer_certificate(full_name="Bench Signer", cin="XX000000", email="bench@example.ma",
                                          organisation="Rokhas bench", pin=pin, key_type=args.key_type)
    credential = SignerCredential(  # never saved: sign_pdf only reads it
        label="bench", certificate_pem=issued.certificate_pem, subject_cn=issued.subject_cn,
        serial_number=issued.serial_hex, not_before=issued.not_before, not_after=issued.not_after,
        storage=SignerCredential.Storage.PKCS12, pkcs12_path=issued.pkcs12_relpath,
    )
    pdf = args.pdf.read_bytes() if args.pdf else _minimal_pdf()
    p12 = issued.pkcs12_path.read_bytes()
    preloaded = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=pin.encode())

    def rokhas_b_lt() -> None:
        sign_pdf(pdf, credential=credential, pin=pin, reason="bench", location="Rabat")

    def bare(signer) -> None:
        signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)),
                         signers.PdfSignatureMetadata(field_name="Signature1"), signer=signer)

    def bare_preloaded() -> None:
        bare(preloaded)

    def bare_with_p12_unlock() -> None:
        bare(signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=pin.encode()))

    for fn in (rokhas_b_lt, bare_preloaded, bare_with_p12_unlock):  # warm caches and imports
        fn()
        fn()
    # Interleave the series so that machine load drifts affect them alike.
    samples: dict[str, list[float]] = {"b_lt": [], "bare": [], "bare_p12": []}
    for _ in range(args.runs):
        samples["b_lt"] += _time(rokhas_b_lt, 1)
        samples["bare"] += _time(bare_preloaded, 1)
        samples["bare_p12"] += _time(bare_with_p12_unlock, 1)
    med = {name: statistics.median(values) for name, values in samples.items()}

    print(f"PDF: {len(pdf)} bytes; signer key: {args.key_type}; runs: {args.runs}")
    print(f"sign_pdf (PAdES B-LT: TSA token + CRLs/certs in DSS, PKCS#12 unlock): "
          f"median {med['b_lt'] * 1000:.1f} ms")
    print(f"bare pyHanko SimpleSigner, key preloaded (no timestamp, no LTV):   "
          f"median {med['bare'] * 1000:.1f} ms")
    print(f"bare pyHanko SimpleSigner incl. PKCS#12 unlock:                    "
          f"median {med['bare_p12'] * 1000:.1f} ms")
    print(f"ratio sign_pdf / bare (preloaded key): {med['b_lt'] / med['bare']:.2f}x (target <= 1.5x)")
    print(f"ratio sign_pdf / bare incl. PKCS#12 unlock: {med['b_lt'] / med['bare_p12']:.2f}x")
    tmp.cleanup()


if __name__ == "__main__":
    main()
