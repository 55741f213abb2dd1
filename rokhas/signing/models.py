"""A signer's certificate and where its private key lives.

The key itself never enters the database: it is either in a PKCS#12 file under
ROKHAS_PKI_DIR (protected by the signer's PIN) or on a PKCS#11 token (smart card, HSM).
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignerCredential(models.Model):
    class Storage(models.TextChoices):
        PKCS12 = "pkcs12", _("PKCS#12 file")
        PKCS11 = "pkcs11", _("PKCS#11 token")

    # PROTECT: a signer's certificate must outlive nothing it signed; deactivate users instead.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="signer_credentials", verbose_name=_("user"))
    label = models.CharField(_("label"), max_length=100)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    subject_cn = models.CharField(_("subject common name"), max_length=200)
    serial_number = models.CharField(_("serial number (hex)"), max_length=64)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    storage = models.CharField(_("key storage"), max_length=10, choices=Storage.choices)
    pkcs12_path = models.CharField(_("PKCS#12 file (relative to the PKI directory)"), max_length=255,
                                   blank=True)
    pkcs11_module = models.CharField(_("PKCS#11 module"), max_length=255, blank=True)
    pkcs11_token_label = models.CharField(_("PKCS#11 token label"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("PKCS#11 key label"), max_length=100, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Wrong-PIN lockout: a PKCS#12 file can be guessed at offline speed only if stolen; online,
    # the platform itself must stop repeated guesses.
    failed_pin_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signer credential")
        verbose_name_plural = _("signer credentials")
        constraints = [
            # Each storage kind needs its locator; catching it here beats failing at signing time.
            models.CheckConstraint(
                name="signing_credential_locator",
                condition=(
                    models.Q(storage="pkcs12", pkcs12_path__gt="")
                    | models.Q(storage="pkcs11", pkcs11_module__gt="", pkcs11_key_label__gt="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.subject_cn})"

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem.encode())

    def is_usable(self, at: dt.datetime | None = None) -> bool:
        """True if the certificate is within its validity period and not revoked at `at`."""
        at = at or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        return self.not_before <= at <= self.not_after

    def revoke(self, at: dt.datetime | None = None) -> None:
        """Stop using this credential; if the dev CA issued it, also list it on the CRL."""
        from . import pki

        self.revoked_at = at or timezone.now()
        self.save(update_fields=["revoked_at"])
        if pki.dev_ca_exists():
            ca_cert, _key = pki.load_ca()
            if self.certificate.issuer == ca_cert.subject:
                pki.revoke_serial(self.serial_number, self.revoked_at)
