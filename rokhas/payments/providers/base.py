"""What every payment provider offers: start a payment (a form the browser posts to the
gateway) and read the gateway's signed server-to-server callback."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class RedirectForm:
    """The browser posts `fields` to `url` (the gateway's hosted payment page)."""

    url: str
    fields: dict[str, str] = field(default_factory=dict)
    method: str = "POST"


@dataclass(frozen=True)
class CallbackResult:
    authentic: bool          # the signature matched (checked in constant time)
    order_id: str
    amount: str              # as sent by the gateway; the service compares it as a Decimal
    currency: str            # ISO 4217 numeric code (504 = MAD)
    approved: bool
    transaction_id: str
    response_code: str
    response: dict = field(default_factory=dict)  # return codes kept with the payment, no card data


class Answer(StrEnum):
    CAPTURE = "capture"          # accepted and counted: debit the card
    ACKNOWLEDGE = "acknowledge"  # received (declined, replayed or duplicate): do not debit
    REFUSE = "refuse"            # forged, unknown or inconsistent: failure


@dataclass(frozen=True)
class StartRequest:
    order_id: str
    amount: str        # "1234.50"
    currency: str      # "MAD"
    ok_url: str
    fail_url: str
    callback_url: str
    shop_url: str
    lang: str          # "fr" or "ar"
    payer_name: str = ""
    payer_email: str = ""


class PaymentProvider(ABC):
    name: str = ""

    @abstractmethod
    def start(self, request: StartRequest) -> RedirectForm:
        """The signed form that sends the payer to the gateway."""

    @abstractmethod
    def verify_callback(self, params: Mapping[str, str]) -> CallbackResult:
        """Read and authenticate the gateway's callback (never raises on garbage)."""

    @abstractmethod
    def answer(self, answer: Answer) -> str:
        """The body the gateway expects in reply to its callback."""
