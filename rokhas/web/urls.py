"""The web pages (namespace "web"), under i18n_patterns."""

from django.urls import path, register_converter

from .converters import IdConverter
from .views import actions, activities, auth, commission, downloads, drafts, files, home, payments

register_converter(IdConverter, "id")

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.RokhasLoginView.as_view(), name="login"),
    path("logout/", auth.RokhasLogoutView.as_view(), name="logout"),
    path("login/second-factor/", auth.otp, name="otp"),
    path("files/new/", drafts.new_dossier, name="new"),
    path("files/new/communes/", drafts.commune_search, name="commune-search"),
    path("files/new/activities/", activities.activity_search, name="activity-search"),
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
    path("files/<id:pk>/pay/", payments.pay, name="pay"),
    path("files/<id:pk>/payments/<id:id>/receipt/", payments.payment_receipt, name="payment-receipt"),
    path("cashier/", payments.cashier, name="cashier"),
    # Commission sessions (rokhas.commission)
    path("commission/", commission.session_list, name="commission-sessions"),
    path("commission/new/", commission.session_new, name="commission-new"),
    path("commission/<id:session_id>/", commission.session_detail, name="commission-session"),
    path("commission/<id:session_id>/agenda/", commission.agenda_change, name="commission-agenda"),
    path("commission/<id:session_id>/invitations/", commission.invitations, name="commission-invitations"),
    path("commission/<id:session_id>/attendance/", commission.attendance, name="commission-attendance"),
    path("commission/<id:session_id>/minutes/", commission.minutes_draft, name="commission-minutes"),
    path("commission/<id:session_id>/minutes/sign/", commission.minutes_sign, name="commission-minutes-sign"),
    path("commission/<id:session_id>/minutes.pdf", commission.minutes_download, name="commission-minutes-pdf"),
    path("commission/<id:session_id>/files/<id:pk>/", commission.file_in_session, name="commission-file"),
    path("commission/<id:session_id>/files/<id:pk>/annotations/", commission.annotations,
         name="commission-annotations"),
    path("commission/<id:session_id>/files/<id:pk>/opinion/", commission.opinion_in_session,
         name="commission-opinion"),
    path("files/<id:pk>/documents/<id:version_id>/pages/<id:number>.png", commission.page_image,
         name="commission-page"),
]
