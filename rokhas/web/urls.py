"""The web pages (namespace "web"), under i18n_patterns."""

from django.urls import path, register_converter

from .converters import IdConverter
from .views import actions, auth, downloads, drafts, files, home

register_converter(IdConverter, "id")

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.RokhasLoginView.as_view(), name="login"),
    path("logout/", auth.RokhasLogoutView.as_view(), name="logout"),
    path("login/second-factor/", auth.otp, name="otp"),
    path("files/new/", drafts.new_dossier, name="new"),
    path("files/new/communes/", drafts.commune_search, name="commune-search"),
    path("files/<id:pk>/", files.dossier_detail, name="dossier"),
    path("files/<id:pk>/edit/", drafts.draft_edit, name="draft"),
    path("files/<id:pk>/documents/", drafts.upload_document, name="upload"),
    path("files/<id:pk>/submit/", drafts.submit_dossier, name="submit"),
    path("files/<id:pk>/documents/<id:version_id>/", downloads.document_download, name="document"),
    path("files/<id:pk>/receipt/<id:number>/", downloads.receipt_download, name="receipt"),
    path("files/<id:pk>/decision/", downloads.decision_download, name="decision"),
    path("files/<id:pk>/accept/", actions.accept, name="accept"),
    path("files/<id:pk>/return/", actions.return_file, name="return"),
    path("files/<id:pk>/opinion/", actions.opinion, name="opinion"),
    path("files/<id:pk>/decide/", actions.decide, name="decide"),
    path("files/<id:pk>/messages/", actions.message, name="message"),
]
