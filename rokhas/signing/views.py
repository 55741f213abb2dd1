"""Public PKI material: the test CA certificate and its CRL, at the address the certificates name."""

from django.http import FileResponse, Http404

from . import pki


def _serve(path, content_type: str, filename: str):
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type=content_type, filename=filename)


def ca_crl(request):
    return _serve(pki.crl_path(), "application/pkix-crl", "rokhas-test-ca.crl")


def ca_certificate(request):
    return _serve(pki.ca_cert_path(), "application/x-pem-file", "rokhas-test-ca.pem")
