"""API endpoints for fees and payments: a file's invoices, starting a payment, receipts, and
what a commune collected. Thin: access in rokhas.payments.access, work in its services."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response

from rokhas.payments import selectors, services
from rokhas.payments.access import Action, require
from rokhas.payments.models import Invoice, Payment
from rokhas.payments.receipts import receipt_pdf
from rokhas.territory.models import Commune

from .views import PDF, ApiView, FileView, _harden, errors, get_dossier, valid

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class PaymentRequired(APIException):
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    default_detail = _("The signed permit is delivered once the fees are paid.")
    default_code = "payment_required"


def require_paid(request, dossier) -> None:
    """Stop the applicant or owner from downloading the permit while fees are unpaid."""
    unpaid = selectors.unpaid_before_delivery(request.user, dossier)
    if unpaid is not None:
        raise PaymentRequired(_("The signed permit is delivered once the fees are paid: invoice %(number)s, "
                                "%(total)s MAD (POST %(url)s).")
                              % {"number": unpaid.number, "total": unpaid.total,
                                 "url": reverse("api:dossier-pay", kwargs={"pk": dossier.pk})})


class InvoiceLineSerializer(serializers.Serializer):
    rule_code = serializers.CharField()
    label = serializers.CharField()
    label_fr = serializers.CharField()
    label_ar = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True)
    unit = serializers.CharField()
    rate = serializers.DecimalField(**MONEY)
    amount = serializers.DecimalField(**MONEY)
    legal_source = serializers.CharField()
    to_check = serializers.BooleanField()
    details = serializers.DictField(child=serializers.CharField())


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_id = serializers.CharField()
    provider = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    status = serializers.ChoiceField(choices=Payment.Status.choices)
    started_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    receipt_number = serializers.CharField(allow_null=True)
    receipt_url = serializers.SerializerMethodField()

    def get_receipt_url(self, payment) -> str | None:
        if payment.status != Payment.Status.SUCCEEDED or not self.context.get("receipts"):
            return None
        path = reverse("api:payment-receipt", kwargs={"pk": payment.invoice.dossier_id, "id": payment.pk})
        return self.context["request"].build_absolute_uri(path)


class InvoiceSerializer(serializers.Serializer):
    number = serializers.CharField()
    due = serializers.CharField()
    status = serializers.ChoiceField(choices=Invoice.Status.choices)
    total = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    rates_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    lines = InvoiceLineSerializer(many=True, source="lines.all")
    payments = PaymentSerializer(many=True, source="payments.all")


class FeesSerializer(serializers.Serializer):
    invoices = InvoiceSerializer(many=True)
    outstanding = serializers.CharField(allow_null=True, help_text="Number of the invoice left to pay, if any")
    may_pay = serializers.BooleanField()


class GatewayFormSerializer(serializers.Serializer):
    url = serializers.URLField()
    method = serializers.CharField()
    fields = serializers.DictField(child=serializers.CharField())


class PaymentStartSerializer(serializers.Serializer):
    payment = PaymentSerializer()
    gateway = GatewayFormSerializer(help_text="Post these fields from the payer's browser to this URL")


class CollectedQuerySerializer(serializers.Serializer):
    commune = serializers.CharField(max_length=20)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class CollectedRowSerializer(serializers.Serializer):
    procedure_fr = serializers.CharField()
    procedure_ar = serializers.CharField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(**MONEY)


class CollectedSerializer(serializers.Serializer):
    commune = serializers.CharField(source="commune.code")
    start = serializers.DateField()
    end = serializers.DateField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(**MONEY)
    rows = CollectedRowSerializer(many=True)


class FeesView(ApiView):
    @extend_schema(operation_id="dossiers_fees", responses={200: FeesSerializer, **errors(401, 403, 404)},
                   tags=["fees"], summary="The file's invoices (lines, rates applied, payments)")
    def get(self, request, pk: int):
        dossier = get_dossier(request, pk)
        panel = selectors.fees_panel(request.user, dossier)
        data = {"invoices": panel.invoices, "outstanding": panel.outstanding.number if panel.outstanding else None,
                "may_pay": panel.may_pay}
        return Response(FeesSerializer(data, context={"request": request, "receipts": panel.may_see_receipts}).data)


class PayView(ApiView):
    @extend_schema(operation_id="dossiers_pay", request=None,
                   responses={201: PaymentStartSerializer, **errors(400, 401, 403, 404)}, tags=["fees"],
                   summary="Start paying the file's outstanding invoice: the signed form for the gateway")
    def post(self, request, pk: int):
        dossier = get_dossier(request, pk)
        require(request.user, Action.PAY, dossier=dossier)
        invoice = selectors.outstanding(dossier).first()
        if invoice is None:
            raise serializers.ValidationError({"non_field_errors": [_("Nothing is left to pay on this file.")]})
        started = services.start_payment(actor=request.user, invoice=invoice, lang=translation.get_language())
        data = {"payment": started.payment,
                "gateway": {"url": started.form.url, "method": started.form.method, "fields": started.form.fields}}
        return Response(PaymentStartSerializer(data, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class PaymentReceiptView(FileView):
    @extend_schema(operation_id="payments_receipt", responses={(200, "application/pdf"): PDF, **errors(401, 403, 404)},
                   tags=["fees"], summary="The bilingual receipt of a payment (PDF)")
    def get(self, request, pk: int, id: int):
        dossier = get_dossier(request, pk)
        payment = selectors.payment_for(request.user, dossier, id)
        if payment is None:
            raise NotFound(_("No such payment receipt."))
        response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{payment.receipt_number}.pdf"'
        return _harden(response)


class CollectedView(ApiView):
    @extend_schema(operation_id="payments_collected", parameters=[CollectedQuerySerializer],
                   responses={200: CollectedSerializer, **errors(400, 401, 403),
                              404: OpenApiResponse(description="No commune has this code.")},
                   tags=["fees"], summary="What a commune collected over a period, by procedure (its staff only)")
    def get(self, request):
        query = valid(CollectedQuerySerializer, request.query_params)
        commune = Commune.objects.filter(code=query["commune"].strip()).first()
        if commune is None:
            raise NotFound(_("No commune has this code."))
        require(request.user, Action.CASHIER, commune=commune)
        today = timezone.localdate()
        start, end = query.get("start") or today.replace(day=1), query.get("end") or today
        if end < start or (end - start) > datetime.timedelta(days=3660):
            raise serializers.ValidationError({"end": [_("Choose an end date after the start, at most ten years later.")]})
        return Response(CollectedSerializer(selectors.collected(commune, start, end)).data)
