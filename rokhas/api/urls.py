"""API routes: /api/schema/, /api/docs/ and the v1 endpoints (namespace "api")."""

from csp.decorators import csp_update
from django.urls import include, path, register_converter
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken

from . import activities, commission, converters, payments, views

register_converter(converters.IdConverter, "apiid")
register_converter(converters.RoundConverter, "apiround")
register_converter(converters.CodeConverter, "apicode")


class TokenView(ObtainAuthToken):
    authentication_classes = []  # the credentials are in the body

    @extend_schema(operation_id="auth_token", tags=["auth"],
                   summary="Your API token, for the header `Authorization: Token <key>` (username and password)")
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


dossier = "dossiers/<apiid:pk>/"
v1 = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/second-factor/", views.SecondFactorView.as_view(), name="auth-second-factor"),
    path("communes/", views.CommuneSearchView.as_view(), name="commune-search"),
    path("procedures/", views.ProcedureListView.as_view(), name="procedure-list"),
    path("activities/", activities.ActivitySearchView.as_view(), name="activity-search"),
    path("return-reasons/", views.ReturnReasonListView.as_view(), name="return-reason-list"),
    path("dossiers/", views.DossierListView.as_view(), name="dossier-list"),
    path(dossier, views.DossierDetailView.as_view(), name="dossier-detail"),
    path(dossier + "documents/", views.DocumentUploadView.as_view(), name="document-upload"),
    path(dossier + "documents/<apiid:version_id>/content", views.DocumentContentView.as_view(),
         name="document-content"),
    path(dossier + "submit/", views.SubmitView.as_view(), name="dossier-submit"),
    path(dossier + "receipt.pdf", views.ReceiptView.as_view(), name="dossier-receipt"),
    path(dossier + "accept/", views.AcceptView.as_view(), name="dossier-accept"),
    path(dossier + "return/", views.ReturnView.as_view(), name="dossier-return"),
    path(dossier + "opinions/", views.OpinionView.as_view(), name="dossier-opinion"),
    path(dossier + "decision/", views.DecisionView.as_view(), name="dossier-decide"),
    path(dossier + "decision.pdf", views.DecisionPdfView.as_view(), name="decision-pdf"),
    path(dossier + "messages/", views.MessageView.as_view(), name="dossier-message"),
    path(dossier + "rounds/<apiround:number>/changes", views.RoundChangesView.as_view(), name="round-changes"),
    path(dossier + "fees/", payments.FeesView.as_view(), name="dossier-fees"),
    path(dossier + "pay/", payments.PayView.as_view(), name="dossier-pay"),
    path(dossier + "payments/<apiid:id>/receipt.pdf", payments.PaymentReceiptView.as_view(), name="payment-receipt"),
    path("payments/collected/", payments.CollectedView.as_view(), name="payments-collected"),
    path("commission/sessions/", commission.SessionListView.as_view(), name="commission-sessions"),
    path("commission/sessions/<apiid:session_id>/", commission.SessionDetailView.as_view(),
         name="commission-session"),
    path("commission/sessions/<apiid:session_id>/agenda/", commission.AgendaView.as_view(),
         name="commission-agenda"),
    path("commission/sessions/<apiid:session_id>/dossiers/<apiid:pk>/annotations/",
         commission.AnnotationsView.as_view(), name="commission-annotations"),
    path("verify/", views.VerifyPdfView.as_view(), name="verify-pdf"),
    path("verify/<apicode:code>/", views.VerifyCodeView.as_view(), name="verify-code"),
]

# Swagger UI's assets come from drf-spectacular-sidecar (no CDN); its page has one inline <style>.
docs_view = csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", docs_view, name="api-docs"),
    path("v1/", include((v1, "api"), namespace="api")),
]
