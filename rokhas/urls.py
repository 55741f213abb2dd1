from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from rokhas.signing import views as signing_views

urlpatterns = [
    path("api/", include("rokhas.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("rokhas.payments.urls")),  # gateway callback, payer return, local test gateway
    path("pki/rokhas-test-ca.crl", signing_views.ca_crl, name="pki-crl"),
    path("pki/rokhas-test-ca.pem", signing_views.ca_certificate, name="pki-ca"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("rokhas.web.public_urls")),  # no namespace: reverse("verify-code")
    path("", include("rokhas.web.urls")),
    prefix_default_language=True,
)
