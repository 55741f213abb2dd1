"""ROKHAS_TSA_URL: time-stamps requested over HTTP (RFC 3161), as with a real TSA."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import tsp
from django.utils import translation

from rokhas.signing.services import SigningError, sign_pdf, validate_pdf
from rokhas.signing.tsa import LocalTimeStamper, get_timestamper

from .conftest import PIN


@pytest.fixture
def tsa_server(pki_dir, settings):
    """A tiny RFC 3161 server on 127.0.0.1 answering with the dev TSA's tokens."""
    stamper = get_timestamper()  # the local one, built before the URL is set
    assert isinstance(stamper, LocalTimeStamper)
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers.get("Content-Type"))
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ROKHAS_TSA_URL = f"http://127.0.0.1:{server.server_port}/tsa"
    yield requests
    server.shutdown()
    server.server_close()


def test_signature_time_stamped_over_http(tsa_server, credential, pdf_bytes):
    signed = sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    assert tsa_server and all(ct == "application/timestamp-query" for ct in tsa_server)
    report = validate_pdf(signed)
    assert report.valid and report.timestamp_present and report.pades_level == "B-LT", report


def test_unreachable_tsa_is_a_clear_error(pki_dir, settings, credential, pdf_bytes):
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_port
    server.server_close()  # nothing listens there any more
    settings.ROKHAS_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    with pytest.raises(SigningError) as excinfo, translation.override("en"):
        sign_pdf(pdf_bytes, credential=credential, pin=PIN, reason="r", location="Rabat")
    with translation.override("en"):
        assert "time-stamping authority" in str(excinfo.value.message)
