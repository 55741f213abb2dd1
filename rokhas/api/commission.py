"""API of commission sessions (thin): sessions, their agenda and the live annotations of a
file (list with a since-id cursor, create). Access: rokhas.commission.access; writes:
rokhas.commission.services; reads: rokhas.commission.selectors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from rokhas.commission import access, selectors, services
from rokhas.commission.access import Action
from rokhas.commission.models import AgendaItem, Annotation, Participant, Session
from rokhas.dossiers import selectors as dossier_selectors
from rokhas.dossiers.models import Dossier

from .views import ApiView, errors, valid


class AgendaItemSerializer(serializers.ModelSerializer):
    # Explicit integers: a model's positive integer bounds depend on the database backend,
    # and the committed schema must not (CI generates it against PostgreSQL).
    position = serializers.IntegerField(min_value=0)
    dossier = serializers.IntegerField(source="dossier_id")
    reference = serializers.CharField(source="dossier.reference")
    title = serializers.CharField(source="dossier.title")

    class Meta:
        model = AgendaItem
        fields = ["position", "dossier", "reference", "title", "due_date", "added_by_hand"]


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.code")

    class Meta:
        model = Participant
        fields = ["id", "name", "organisation", "invited_at", "attendance"]

    def get_name(self, obj) -> str:
        return obj.user.get_full_name() or obj.user.username


class SessionSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code")

    class Meta:
        model = Session
        fields = ["id", "organisation", "starts_at", "mode", "place", "video_url", "status", "invitations_sent_at",
                  "minutes_drafted_at"]


class SessionDetailSerializer(SessionSerializer):
    agenda = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()

    class Meta(SessionSerializer.Meta):
        fields = SessionSerializer.Meta.fields + ["agenda", "participants"]

    def get_agenda(self, obj) -> list[dict]:
        return AgendaItemSerializer(selectors.agenda(obj), many=True).data

    def get_participants(self, obj) -> list[dict]:
        return ParticipantSerializer(selectors.participants(obj), many=True).data


class SessionCreateSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=Session.Mode.choices)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    video_url = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class AnnotationSerializer(serializers.ModelSerializer):
    page = serializers.IntegerField(min_value=0)
    version = serializers.IntegerField(source="document_version_id")
    author = serializers.SerializerMethodField()

    class Meta:
        model = Annotation
        fields = ["id", "version", "page", "x", "y", "width", "height", "text", "author", "created_at"]

    def get_author(self, obj) -> str:
        return obj.author.get_full_name() or obj.author.username


class AnnotationPageSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(help_text="Pass it back as ?since= to get only newer notes.")
    annotations = AnnotationSerializer(many=True)


class SinceQuerySerializer(serializers.Serializer):
    since = serializers.IntegerField(required=False, min_value=0, max_value=2**62, default=0)


class AnnotationCreateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**62, help_text="Document version id")
    page = serializers.IntegerField(min_value=1, max_value=100000)
    x = serializers.FloatField(min_value=0, max_value=1)
    y = serializers.FloatField(min_value=0, max_value=1)
    width = serializers.FloatField(min_value=0, max_value=1, required=False, allow_null=True, default=None)
    height = serializers.FloatField(min_value=0, max_value=1, required=False, allow_null=True, default=None)
    text = serializers.CharField(max_length=services.MAX_TEXT)


def get_session(request, session_id: int) -> Session:
    session = Session.objects.select_related("organisation").filter(pk=session_id).first()
    if session is None or not access.can(request.user, Action.VIEW, session):
        raise NotFound()
    return session


def get_discussion(request, session_id: int, pk: int):
    """As the web's: the DISCUSS rule first (polled path), 404/403 worked out only on refusal."""
    session = Session.objects.select_related("organisation").filter(pk=session_id).first()
    dossier = Dossier.objects.filter(pk=pk).first()
    if session is not None and dossier is not None and access.can(request.user, Action.DISCUSS, session, dossier):
        return session, dossier
    session = get_session(request, session_id)
    dossier = dossier_selectors.get_visible(request.user, pk)
    if dossier is None:
        raise NotFound()
    access.require(request.user, Action.DISCUSS, session, dossier)
    return session, dossier


TAGS = ["commission"]


class SessionListView(ApiView):
    @extend_schema(operation_id="commission_sessions_list", responses={200: SessionSerializer(many=True),
                                                                       **errors(401)},
                   tags=TAGS, summary="Commission sessions you organise or are invited to")
    def get(self, request):
        sessions = selectors.sessions_for(access.visible_sessions(request.user))[:200]
        return Response(SessionSerializer(sessions, many=True).data)

    @extend_schema(operation_id="commission_sessions_create", request=SessionCreateSerializer,
                   responses={201: SessionDetailSerializer, **errors(400, 401, 403)}, tags=TAGS,
                   summary="Schedule a session (single window); its agenda is built from the files due")
    def post(self, request):
        if not access.organiser_organisations(request.user).exists():
            raise PermissionDenied(_("Only a single window can schedule commission sessions."))
        data = valid(SessionCreateSerializer, request.data)
        session = services.create_session(actor=request.user, **data)
        return Response(SessionDetailSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionDetailView(ApiView):
    @extend_schema(operation_id="commission_sessions_retrieve", responses={200: SessionDetailSerializer,
                                                                           **errors(401, 404)},
                   tags=TAGS, summary="A session with its agenda and its members' attendance")
    def get(self, request, session_id: int):
        return Response(SessionDetailSerializer(get_session(request, session_id)).data)


class AgendaView(ApiView):
    @extend_schema(operation_id="commission_agenda", responses={200: AgendaItemSerializer(many=True),
                                                                **errors(401, 404)},
                   tags=TAGS, summary="The session's agenda, in order")
    def get(self, request, session_id: int):
        return Response(AgendaItemSerializer(selectors.agenda(get_session(request, session_id)), many=True).data)


class AnnotationsView(ApiView):
    @extend_schema(operation_id="commission_annotations_list", parameters=[SinceQuerySerializer],
                   responses={200: AnnotationPageSerializer, **errors(400, 401, 403, 404)}, tags=TAGS,
                   summary="Notes on a file's plans in this session after the ?since= cursor (poll it)")
    def get(self, request, session_id: int, pk: int):
        session, dossier = get_discussion(request, session_id, pk)
        since = valid(SinceQuerySerializer, request.query_params)["since"]
        items = selectors.annotations_since(session, dossier, since)
        return Response({"cursor": items[-1].pk if items else since,
                         "annotations": AnnotationSerializer(items, many=True).data})

    @extend_schema(operation_id="commission_annotations_create", request=AnnotationCreateSerializer,
                   responses={201: AnnotationSerializer, **errors(400, 401, 403, 404)}, tags=TAGS,
                   summary="Annotate a page of the file's current document version (x, y from 0 to 1)")
    def post(self, request, session_id: int, pk: int):
        session, dossier = get_discussion(request, session_id, pk)
        data = valid(AnnotationCreateSerializer, request.data)
        version = dossier_selectors.document_version_for(request.user, dossier, data.pop("version"))
        if version is None:
            raise ApiValidationError({"version": [_("Choose a document of this file.")]})
        note = services.annotate(actor=request.user, session=session, dossier=dossier, version=version, **data)
        return Response(AnnotationSerializer(note).data, status=status.HTTP_201_CREATED)

