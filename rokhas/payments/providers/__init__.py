"""Payment providers, selected by settings: ROKHAS_PAYMENT_PROVIDER names the one used for new
payments; ROKHAS_PAYMENT_PROVIDERS maps names to classes (callbacks name their provider)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Answer, CallbackResult, PaymentProvider, RedirectForm, StartRequest

__all__ = ["Answer", "CallbackResult", "PaymentProvider", "RedirectForm", "StartRequest", "get_provider",
           "known_provider"]


def known_provider(name: str) -> bool:
    return name in settings.ROKHAS_PAYMENT_PROVIDERS


def get_provider(name: str | None = None) -> PaymentProvider:
    name = name or settings.ROKHAS_PAYMENT_PROVIDER
    return import_string(settings.ROKHAS_PAYMENT_PROVIDERS[name])()
