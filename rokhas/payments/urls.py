"""Routes without a language prefix: the gateway's callback, the payer's return and the local
test gateway (which answers 404 unless settings.ROKHAS_DEV_GATEWAY is on)."""

from django.urls import path

from . import devgateway, views

urlpatterns = [
    path("payments/callback/<slug:provider>/", views.callback, name="payment-callback"),
    path("payments/return/<slug:outcome>/", views.payer_return, name="payment-return"),
    path("dev-gateway/", devgateway.payment_page, name="dev-gateway"),
    path("dev-gateway/pay/", devgateway.pay, name="dev-gateway-pay"),
]
