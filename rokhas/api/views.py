"""The REST API (v1): a thin layer over the domain.

Every view finds the file through the selectors (an unknown or invisible file is a 404),
checks the action with rokhas.dossiers.access.require (403 with the reason), checks the
*types* of the input with a serializer (400), and calls one domain service, which checks
access again under its lock, applies the rules and raises Django's ValidationError (400) or
PermissionDenied (403); rokhas/api/errors.py turns those into answers.
"""

from __future__ import annotations

import dataclasses
import logging

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from rokhas.accounts import second_factor
from rokhas.accounts.models import User
from rokhas.catalogue.classification import Classification, classify
from rokhas.catalogue.models import DocumentType, Procedure, ReturnReason
from rokhas.catalogue.selectors import procedures_open_for_filing
from rokhas.decisions import services as decisions
from rokhas.decisions.documents import receipt_pdf
from rokhas.decisions.models import Decision
from rokhas.decisions.verification_limit import VerificationThrottle
from rokhas.dossiers import access, selectors
from rokhas.dossiers import services as dossiers
from rokhas.dossiers.access import Action
from rokhas.dossiers.models import Dossier
from rokhas.review import selectors as review_selectors
from rokhas.review import services as review
from rokhas.review.models import Consultation
from rokhas.territory.selectors import get_commune, search_communes

from . import serializers as s
from .authentication import API_AUTHENTICATION
from .errors import validation_detail
from .parsers import LimitedJSONParser
from .renderers import SafeJSONRenderer

logger = logging.getLogger(__name__)

S = Dossier.Status
ERRORS = {
    400: OpenApiResponse(s.ValidationErrorSerializer, description="Invalid input: messages per field."),
    401: OpenApiResponse(s.ErrorSerializer, description="Not authenticated."),
    403: OpenApiResponse(s.ErrorSerializer, description="Not allowed (the reason is given)."),
    404: OpenApiResponse(s.ErrorSerializer, description="No such file, or not visible to you."),
}
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="A PDF document.")


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


def _bad_request(**fields) -> ApiValidationError:
    return ApiValidationError({name: [str(message)] for name, message in fields.items()})


class ApiView(APIView):
    # Authenticated endpoint (see authentication.py for the second factor).
    # (No docstrings on these base classes: the schema would show them on every endpoint.)
    authentication_classes = API_AUTHENTICATION
    permission_classes = [IsAuthenticated]
    parser_classes = [LimitedJSONParser]
    renderer_classes = [SafeJSONRenderer]


class PublicView(ApiView):
    permission_classes = [AllowAny]


class FileNegotiation(DefaultContentNegotiation):
    # Downloads answer with a file whatever the Accept header says; errors in JSON.

    def select_renderer(self, request, renderers, format_suffix=None):
        return SafeJSONRenderer(), SafeJSONRenderer.media_type


class FileView(ApiView):
    content_negotiation_class = FileNegotiation


def get_dossier(request, pk: int) -> Dossier:
    """The file if the user may see it; 404 otherwise (an invisible file does not exist)."""
    dossier = selectors.get_visible(request.user, pk)  # scoped by access.visible_dossiers
    if dossier is None:
        raise NotFound()
    return dossier


def get_dossier_for(request, pk: int, action: Action) -> Dossier:
    dossier = get_dossier(request, pk)
    access.require(request.user, action, dossier)
    return dossier


def valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- the file as a reader sees it ----------------------------------------------------------


def _classification(dossier: Dossier) -> dict | None:
    if dossier.project_class is not None:
        result = Classification(dossier.project_class, tuple(dossier.classification_reasons or ()))
        provisional = False
    else:
        result = classify(dossier.procedure_version, dossier.declared)
        provisional = True
    return {"project_class": result.project_class, "why": result.why, "provisional": provisional}


def detail_data(request, dossier: Dossier) -> dict:
    dossier = (Dossier.objects.select_related("commune", "procedure_version__procedure", "project_class",
                                              "applicant", "owner").get(pk=dossier.pk))
    classification = _classification(dossier)
    missing = []
    if dossier.status in (S.DRAFT, S.RETURNED):
        missing = dossiers.missing_documents(dossier, classification["project_class"])
    contents = selectors.file_contents(dossier)
    state = contents.clock
    extra = {
        "classification": classification,
        "missing_documents": missing,
        "clock": {**dataclasses.asdict(state),
                  "suspensions": [{"start": a, "end": b} for a, b in state.suspensions]},
        "documents": contents.documents,
        "rounds": contents.rounds,
        "consultations": contents.consultations,
        "decision": contents.decision,
        "messages": contents.messages,
        "timeline": contents.timeline,
        "permissions": {a.value: access.can(request.user, a, dossier) for a in
                        (Action.EDIT, Action.SUBMIT, Action.CHECK, Action.OPINION, Action.DECIDE, Action.MESSAGE)},
    }
    return s.DossierDetailSerializer(dossier, context={"request": request, "extra": extra}).data


def detail_response(request, dossier: Dossier, code: int = status.HTTP_200_OK) -> Response:
    return Response(detail_data(request, dossier), status=code)


# --- public reference data -----------------------------------------------------------------


class SecondFactorView(ApiView):
    @extend_schema(operation_id="auth_second_factor", request=s.SecondFactorSerializer,
                   responses={200: s.SecondFactorResultSerializer, **errors(400, 401)}, tags=["auth"],
                   summary="Check your TOTP code for this API token: officials can then act through the API "
                           "(check, opinion, decision) until verified_until")
    def post(self, request):
        if not isinstance(request.auth, Token):
            raise ApiValidationError({"code": [_("Only an API token (Authorization: Token …) can carry a second "
                                                 "factor; the web session has its own.")]})
        code = valid(s.SecondFactorSerializer, request.data)["code"]
        try:
            until = second_factor.verify_api_token(token=request.auth, code=code)
        except DjangoValidationError as exc:
            raise ApiValidationError(validation_detail(exc)) from exc
        return Response(s.SecondFactorResultSerializer({"verified_until": until}).data)


class CommuneSearchView(PublicView):
    @extend_schema(operation_id="communes_search", parameters=[s.CommuneSearchQuerySerializer],
                   responses={200: s.CommuneSerializer(many=True), **errors(400)}, tags=["catalogue"],
                   summary="Search communes by French or Arabic name, or by official code")
    def get(self, request):
        query = valid(s.CommuneSearchQuerySerializer, request.query_params)["q"]
        communes = search_communes(query)
        data = [{"code": c.code, "name": c.name, "name_fr": c.name_fr, "name_ar": c.name_ar, "kind": c.kind,
                 "province": c.province, "region": c.province.region} for c in communes]
        return Response(s.CommuneSerializer(data, many=True).data)


class ProcedureListView(PublicView):
    @extend_schema(operation_id="procedures_list", responses={200: s.ProcedureSerializer(many=True)},
                   tags=["catalogue"],
                   summary="Procedures open for filing today, with the version in force (law 55-19: published)")
    def get(self, request):
        out = []
        for procedure, version in procedures_open_for_filing(timezone.localdate()):
            out.append({"code": procedure.code, "name": procedure.name, "name_fr": procedure.name_fr,
                        "name_ar": procedure.name_ar, "domain": procedure.domain,
                        "reference_prefix": procedure.reference_prefix, "version": version})
        return Response(s.ProcedureSerializer(out, many=True).data)


class ReturnReasonListView(PublicView):
    @extend_schema(operation_id="return_reasons_list", responses={200: s.ReturnReasonSerializer(many=True)},
                   tags=["catalogue"], summary="Coded reasons the single window may give when returning a file")
    def get(self, request):
        return Response(s.ReturnReasonSerializer(ReturnReason.objects.order_by("code"), many=True).data)


# --- files ------------------------------------------------------------------------------------------


class DossierListView(GenericAPIView, ApiView):
    serializer_class = s.DossierSummarySerializer

    def get_queryset(self):  # used for the schema only; get() builds the list from the selectors
        return Dossier.objects.none()

    def _listed(self, request, role: str | None):
        user = request.user
        if role == "review":
            pending = review_selectors.pending_consultations(user)
            order = list(dict.fromkeys(c.dossier_id for c in pending))
            return Dossier.objects.filter(pk__in=order), order
        qs = {
            None: lambda: access.visible_dossiers(user).order_by("-created_at", "-pk"),
            "mine": lambda: selectors.my_dossiers(user),
            "guichet": lambda: selectors.guichet_worklist(user),
            "followup": lambda: selectors.guichet_followup(user),
            "decide": lambda: selectors.president_worklist(user),
        }[role]()
        return qs, None

    @extend_schema(operation_id="dossiers_list", parameters=[s.DossierListQuerySerializer],
                   responses={200: s.DossierSummarySerializer(many=True), **errors(400, 401, 403)},
                   tags=["files"], summary="Files visible to you, or one of your worklists (?role=)")
    def get(self, request):
        query = valid(s.DossierListQuerySerializer, request.query_params)
        qs, order = self._listed(request, query.get("role"))
        # Whatever the list, only files the user may see.
        qs = (qs.filter(pk__in=access.visible_dossiers(request.user).values("pk"))
              .select_related("commune", "procedure_version__procedure", "project_class"))
        if query.get("status"):
            qs = qs.filter(status=query["status"])
        items = list(qs) if order is not None else qs
        if order is not None:
            rank = {pk: i for i, pk in enumerate(order)}
            items.sort(key=lambda d: rank[d.pk])
        page = self.paginate_queryset(items)
        return self.get_paginated_response(s.DossierSummarySerializer(page, many=True,
                                                                      context={"request": request}).data)

    @extend_schema(operation_id="dossiers_create", request=s.DossierCreateSerializer,
                   responses={201: s.DossierDetailSerializer, **errors(400, 401, 403)}, tags=["files"],
                   summary="Start a draft file (you are the applicant)")
    def post(self, request):
        data = valid(s.DossierCreateSerializer, request.data)
        problems = {}
        commune = get_commune(data["commune"].strip())
        if commune is None:
            problems["commune"] = _("No commune has this code.")
        procedure = Procedure.objects.filter(code=data["procedure"].strip()).first()
        if procedure is None:
            problems["procedure"] = _("No procedure has this code.")
        who = data["owner"].strip()
        owner = (User.objects.filter(is_active=True, email__iexact=who).first()
                 or User.objects.filter(is_active=True, username=who).first())
        if owner is None:
            problems["owner"] = _("No account has this e-mail address or username.")
        if problems:
            raise _bad_request(**problems)
        dossier = dossiers.create_draft(actor=request.user, commune=commune, procedure=procedure, owner=owner,
                                        title=data["title"])
        return detail_response(request, dossier, status.HTTP_201_CREATED)


class DossierDetailView(ApiView):
    @extend_schema(operation_id="dossiers_retrieve", responses={200: s.DossierDetailSerializer, **errors(401, 403, 404)},
                   tags=["files"], summary="A file: status, class and why, legal clock, documents, rounds, "
                                            "opinions, decision, timeline")
    def get(self, request, pk: int):
        return detail_response(request, get_dossier(request, pk))

    @extend_schema(operation_id="dossiers_update", request=s.DossierUpdateSerializer,
                   responses={200: s.DossierDetailSerializer, **errors(400, 401, 403, 404)}, tags=["files"],
                   summary="Change the title or the declared data of a draft or returned file")
    def patch(self, request, pk: int):
        dossier = get_dossier_for(request, pk, Action.EDIT)
        data = valid(s.DossierUpdateSerializer, request.data)
        declared = dossier.declared
        if "declared" in data:
            declared = {**dossier.declared, **data["declared"]}
        try:
            dossier = dossiers.update_draft(actor=request.user, dossier=dossier, title=data.get("title"),
                                            declared=declared)
        except DjangoValidationError as exc:
            raise ApiValidationError(validation_detail(exc, nest_under="declared", keep=frozenset({"title"}))) from exc
        return detail_response(request, dossier)


class DocumentUploadView(ApiView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="documents_upload", request={"multipart/form-data": s.DocumentUploadSerializer},
                   responses={201: s.DocumentVersionSerializer, **errors(400, 401, 403, 404)}, tags=["files"],
                   summary="Upload a document (a new version if one exists); it is checked and cleaned")
    def post(self, request, pk: int):
        dossier = get_dossier_for(request, pk, Action.EDIT)
        data = valid(s.DocumentUploadSerializer, request.data)
        document_type = DocumentType.objects.filter(code=data["document_type"].strip()).first()
        if document_type is None:
            raise _bad_request(document_type=_("No document type has this code."))
        version = dossiers.attach_document(actor=request.user, dossier=dossier, document_type=document_type,
                                           uploaded=data["file"])
        return Response(s.DocumentVersionSerializer(version, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


def _harden(response: HttpResponse) -> HttpResponse:
    """Downloads are attachments, never sniffed, never run, never kept by shared caches."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _stored_file(name: str, filename: str, content_type: str):
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        logger.error("Stored file %s is missing", name)
        raise NotFound(_("The content of this file is not available.")) from None
    return _harden(FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type))


class DocumentContentView(FileView):
    @extend_schema(operation_id="documents_content", responses={(200, "application/octet-stream"): PDF,
                                                                **errors(401, 403, 404)},
                   tags=["files"], summary="Download one version of a document")
    def get(self, request, pk: int, version_id: int):
        dossier = get_dossier(request, pk)
        version = selectors.document_version_for(request.user, dossier, version_id)
        if version is None:
            raise NotFound()
        return _stored_file(version.storage_name, version.original_name, version.content_type)


def _idempotency_key(request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 64 or not all(33 <= ord(ch) < 127 for ch in key):
        raise _bad_request(idempotency_key=_("The Idempotency-Key header must be 1 to 64 visible ASCII characters."))
    return key


class SubmitView(ApiView):
    @extend_schema(operation_id="dossiers_submit", request=None,
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                                description="Any unique string (≤ 64 characters): sending the "
                                                            "same key again returns the same filed file.")],
                   responses={200: s.DossierDetailSerializer, **errors(400, 401, 403, 404)}, tags=["files"],
                   summary="File the draft (or resubmit a returned file as a new round)")
    def post(self, request, pk: int):
        dossier = get_dossier(request, pk)
        token = _idempotency_key(request)
        # No access pre-check here: a repeated submit with the same key must find the file
        # already filed; the domain decides (and checks access itself).
        try:
            dossier = dossiers.submit(actor=request.user, dossier=dossier, token=token)
        except DjangoValidationError as exc:
            raise ApiValidationError(validation_detail(exc, nest_under="declared")) from exc
        return detail_response(request, dossier)


class ReceiptView(FileView):
    @extend_schema(operation_id="dossiers_receipt", parameters=[s.ReceiptQuerySerializer],
                   responses={(200, "application/pdf"): PDF, **errors(400, 401, 403, 404)}, tags=["files"],
                   summary="The filing receipt (récépissé) of the last round, or of ?round=")
    def get(self, request, pk: int):
        dossier = get_dossier(request, pk)
        number = valid(s.ReceiptQuerySerializer, request.query_params).get("round")
        rounds = dossier.rounds.all()
        if not (rounds.filter(number=number) if number else rounds).exists():
            raise NotFound(_("This file has no such filing round: there is no receipt."))
        pdf = receipt_pdf(dossier, number)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{dossier.reference}-recepisse.pdf"'
        return _harden(response)


class AcceptView(ApiView):
    @extend_schema(operation_id="dossiers_accept", request=None,
                   responses={200: s.DossierDetailSerializer, **errors(400, 401, 403, 404)}, tags=["single window"],
                   summary="Completeness check passed: accept and dispatch to the commission")
    def post(self, request, pk: int):
        dossier = get_dossier_for(request, pk, Action.CHECK)
        return detail_response(request, dossiers.accept_and_dispatch(actor=request.user, dossier=dossier))


class ReturnView(ApiView):
    @extend_schema(operation_id="dossiers_return", request=s.ReturnSerializer,
                   responses={200: s.DossierDetailSerializer, **errors(400, 401, 403, 404)}, tags=["single window"],
                   summary="Return the file to the applicant for complements (coded reasons and a message)")
    def post(self, request, pk: int):
        dossier = get_dossier_for(request, pk, Action.CHECK)
        data = valid(s.ReturnSerializer, request.data)
        codes = list(dict.fromkeys(code.strip() for code in data["reasons"]))
        reasons = {r.code: r for r in ReturnReason.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in reasons]
        if unknown:
            raise _bad_request(reasons=_("Unknown reason codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        dossier = dossiers.return_for_complements(actor=request.user, dossier=dossier,
                                                  reasons=[reasons[c] for c in codes], message=data["message"])
        return detail_response(request, dossier)


class OpinionView(ApiView):
    @extend_schema(operation_id="dossiers_opinion", request=s.OpinionInputSerializer,
                   responses={201: s.OpinionSerializer, **errors(400, 401, 403, 404)}, tags=["commission"],
                   summary="Give your organisation's opinion on the file")
    def post(self, request, pk: int):
        dossier = get_dossier_for(request, pk, Action.OPINION)
        data = valid(s.OpinionInputSerializer, request.data)
        consultation = None
        if data.get("consultation") is not None:
            consultation = Consultation.objects.filter(pk=data["consultation"], dossier=dossier).first()
            if consultation is None:
                raise _bad_request(consultation=_("This file has no such consultation."))
        opinion = review.give_opinion(actor=request.user, dossier=dossier, consultation=consultation,
                                      verdict=data["verdict"], text=data["text"])
        return Response(s.OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class DecisionView(ApiView):
    @extend_schema(operation_id="dossiers_decide", request=s.DecisionInputSerializer,
                   responses={201: s.DecisionSerializer, **errors(400, 401, 403, 404)}, tags=["decision"],
                   summary="Grant or refuse; the decision is rendered and signed with your certificate")
    def post(self, request, pk: int):
        dossier = get_dossier_for(request, pk, Action.DECIDE)
        data = valid(s.DecisionInputSerializer, request.data)
        decision = decisions.decide(actor=request.user, dossier=dossier, outcome=data["outcome"],
                                    conditions=data["conditions"], reasons=data["reasons"], pin=data["pin"])
        return Response(s.DecisionSerializer(decision, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class DecisionPdfView(FileView):
    @extend_schema(operation_id="dossiers_decision_pdf", responses={(200, "application/pdf"): PDF,
                                                                    **errors(401, 403, 404),
                                                                    402: OpenApiResponse(
                                                                        s.ErrorSerializer,
                                                                        description="Fees to pay first.")},
                   tags=["decision"], summary="The signed decision (PDF)")
    def get(self, request, pk: int):
        dossier = get_dossier(request, pk)
        decision = Decision.objects.filter(dossier=dossier).first()
        if decision is None:
            raise NotFound(_("No decision has been issued on this file."))
        from .payments import require_paid  # (imports this module)

        require_paid(request, dossier)  # the permit is delivered once its fees are paid
        return _stored_file(decision.storage_name, f"{dossier.reference}-decision.pdf", "application/pdf")


class MessageView(ApiView):
    @extend_schema(operation_id="dossiers_message", request=s.MessageInputSerializer,
                   responses={201: s.MessageSerializer, **errors(400, 401, 403, 404)}, tags=["files"],
                   summary="Post a message on the file (kept in its timeline)")
    def post(self, request, pk: int):
        dossier = get_dossier_for(request, pk, Action.MESSAGE)
        data = valid(s.MessageInputSerializer, request.data)
        message = dossiers.post_message(actor=request.user, dossier=dossier, body=data["body"])
        return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class RoundChangesView(ApiView):
    @extend_schema(operation_id="dossiers_round_changes",
                   responses={200: s.RoundChangesSerializer, **errors(401, 403, 404)}, tags=["files"],
                   summary="What changed in round n since round n-1 (declared fields and documents)")
    def get(self, request, pk: int, number: int):
        dossier = get_dossier(request, pk)
        if not dossier.rounds.filter(number=number).exists():
            raise NotFound(_("This file has no such filing round."))
        return Response(s.RoundChangesSerializer(dossiers.round_changes(dossier, number)).data)


# --- public verification ---------------------------------------------------------------------------


class VerifyCodeView(PublicView):
    throttle_classes = [VerificationThrottle]

    @extend_schema(operation_id="verify_code",
                   responses={200: s.VerifyCodeResultSerializer,
                              404: OpenApiResponse(s.NotAuthenticSerializer, description="No decision has this code.")},
                   tags=["verification"], summary="Check a decision by its verification code (public)")
    def get(self, request, code: str):
        decision = decisions.verify_code(code)
        if decision is None:
            return Response({"authentic": False, "detail": str(_("No decision has this verification code."))},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(s.VerifyCodeResultSerializer({"authentic": True, "decision": decision}).data)


class VerifyPdfView(PublicView):
    throttle_classes = [VerificationThrottle]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="verify_pdf", request={"multipart/form-data": s.VerifyUploadSerializer},
                   responses={200: s.VerifyPdfResultSerializer, **errors(400)}, tags=["verification"],
                   summary="Check a decision PDF: is it one the platform issued, and is its signature valid? (public)")
    def post(self, request):
        upload = valid(s.VerifyUploadSerializer, request.data)["file"]
        limit = settings.ROKHAS_UPLOAD_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise _bad_request(file=_("The file is too large (at most %(mb)d MB).") % {"mb": limit // (1024 * 1024)})
        content = upload.read(limit + 1)
        if len(content) > limit:
            raise _bad_request(file=_("The file is too large (at most %(mb)d MB).") % {"mb": limit // (1024 * 1024)})
        decision, report = decisions.verify_pdf_bytes(content)
        return Response(s.VerifyPdfResultSerializer({
            # The same rule as the web page: bytes the platform issued, with a valid signature.
            "authentic": decision is not None and report.valid, "decision": decision,
            "signature": {f.name: getattr(report, f.name) for f in dataclasses.fields(report)},
        }).data)

