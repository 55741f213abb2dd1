"""Serializers of the API: input types and output shapes only.

No business rule lives here: inputs are checked for *type* (and for characters no database
can store); what a value means, whether it is allowed and who may send it is decided by
the domain services, which raise Django ValidationError / PermissionDenied.
"""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from rokhas.catalogue.declared_data import choices_of, field_label
from rokhas.catalogue.models import DayKind, SilenceRule
from rokhas.decisions.models import Decision
from rokhas.dossiers.models import Dossier
from rokhas.review.models import Opinion

# Choices the API accepts for a decision (a tacit approval is never sent by a person).
DECIDE_OUTCOMES = [(Decision.Outcome.GRANTED.value, Decision.Outcome.GRANTED.label),
                   (Decision.Outcome.REFUSED.value, Decision.Outcome.REFUSED.label)]
ROLE_FILTERS = [
    ("mine", _("files I filed or own")),
    ("guichet", _("single window: filed files awaiting the completeness check")),
    ("followup", _("single window: open files of my communes")),
    ("review", _("commission member: files awaiting my organisation's opinion")),
    ("decide", _("president or delegate: files under review awaiting a decision")),
]
MAX_TEXT = 100_000  # a generous cap on free text before the domain's own limits apply


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# --- inputs ------------------------------------------------------------------------------


class DeclaredDataField(serializers.JSONField):
    """The applicant's declared data: an object of scalar values (the procedure's form
    schema says which names exist and what they must hold)."""

    default_error_messages = {
        "not_object": _("Expected an object of field names and values."),
        "not_scalar": _("Enter a single value."),
        "invalid_chars": _("Invalid characters."),
        "too_many": _("Too many fields."),
    }
    _text_validators = (ProhibitNullCharactersValidator(), ProhibitSurrogateCharactersValidator())

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict):
            self.fail("not_object")
        if len(data) > 200:
            self.fail("too_many")
        errors = {}
        for key, value in data.items():
            if not isinstance(key, str) or len(key) > 100:
                self.fail("not_object")
            if value is not None and not isinstance(value, str | int | float | bool):
                errors[key] = [self.error_messages["not_scalar"]]
                continue
            for text in (key, value) if isinstance(value, str) else (key,):
                try:
                    for validator in self._text_validators:
                        validator(text)
                except Exception:  # noqa: BLE001 - Django's or DRF's ValidationError alike
                    errors[key] = [self.error_messages["invalid_chars"]]
        if errors:
            raise serializers.ValidationError(errors)
        return data


@extend_schema_field({
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}],
                             "nullable": True},
    "example": {"nature": "new", "use": "individual_housing", "levels": 2, "floor_area_m2": "320"},
})
class DeclaredDataInputField(DeclaredDataField):
    pass


class CommuneSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                              help_text=_("Part of the French or Arabic name, or the start of the official code."))


class DossierListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Dossier.Status.choices, required=False)
    role = serializers.ChoiceField(choices=ROLE_FILTERS, required=False)


class ReceiptQuerySerializer(serializers.Serializer):
    round = serializers.IntegerField(min_value=1, max_value=9999, required=False)


class DossierCreateSerializer(serializers.Serializer):
    commune = serializers.CharField(max_length=40, help_text=_("Official code of the commune."))
    procedure = serializers.CharField(max_length=60, help_text=_("Code of the procedure."))
    owner = serializers.CharField(max_length=254, help_text=_("E-mail address or username of the owner's account."))
    title = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, trim_whitespace=False)


class DossierUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, trim_whitespace=False)
    declared = DeclaredDataInputField(required=False, help_text=_(
        "Fields to change, merged into the data already declared; null clears a field."))


class DocumentUploadSerializer(serializers.Serializer):
    document_type = serializers.CharField(max_length=60, help_text=_("Code of the document type."))
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class ReturnSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField(max_length=40), max_length=50, allow_empty=True,
                                    help_text=_("Codes of the return reasons (see /api/v1/return-reasons/)."))
    message = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class OpinionInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Opinion.Verdict.choices)
    text = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    consultation = serializers.IntegerField(min_value=1, max_value=10**18, required=False, allow_null=True,
                                            help_text=_("Needed only if you answer for several organisations."))


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DECIDE_OUTCOMES)
    conditions = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    reasons = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    pin = serializers.CharField(max_length=200, trim_whitespace=False, style={"input_type": "password"},
                                help_text=_("The PIN of your signing certificate."))


class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, trim_whitespace=False)


class SecondFactorSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12, help_text=_("The current code of your authenticator app."))


class SecondFactorResultSerializer(serializers.Serializer):
    verified_until = serializers.DateTimeField()


class VerifyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False, help_text=_("The decision PDF to check."))


# --- outputs: reference data ---------------------------------------------------------------


class NamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CommuneSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_fr = serializers.CharField()
    name_ar = serializers.CharField()
    kind = serializers.CharField()
    province = NamedSerializer()
    region = NamedSerializer()


class DocumentTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    formats = serializers.SerializerMethodField()

    def get_formats(self, obj) -> list[str]:
        return sorted(obj.allowed_formats)


class ReturnReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    label_fr = serializers.CharField()
    label_ar = serializers.CharField()


class FormFieldSerializer(serializers.Serializer):
    """One field the applicant declares (see rokhas/catalogue/declared_data.py)."""

    name = serializers.CharField()
    type = serializers.ChoiceField(choices=["int", "decimal", "text", "longtext", "choice", "bool"])
    label = serializers.SerializerMethodField()
    label_fr = serializers.CharField(required=False)
    label_ar = serializers.CharField(required=False)
    required = serializers.BooleanField(required=False)
    min = serializers.FloatField(required=False)
    max = serializers.FloatField(required=False)
    max_length = serializers.IntegerField(required=False)
    choices = serializers.SerializerMethodField(help_text=_("[value, French label, Arabic label]"))
    must_be = serializers.BooleanField(required=False, help_text=_("A commitment that must be accepted (true)."))

    def get_label(self, spec) -> str:
        return field_label(spec)

    def get_choices(self, spec) -> list[list[str]] | None:
        # Inline, or kept elsewhere (e.g. the activities of a regime): see declared_data.choices_of.
        return choices_of(spec) if spec.get("type") == "choice" else None


class SeatSerializer(serializers.Serializer):
    organisation_kind = serializers.CharField()
    days = serializers.IntegerField()
    day_kind = serializers.ChoiceField(choices=DayKind.choices)
    binding = serializers.BooleanField(help_text=_("Avis conforme: an unfavourable opinion binds the decision."))


class CriterionSerializer(serializers.Serializer):
    field = serializers.CharField()
    op = serializers.CharField(required=False)
    value = serializers.JSONField(required=False)
    value_from = serializers.CharField(required=False, help_text=_("For 'in': the list comes from this source "
                                                                   "(e.g. activities:classified-2)."))
    why_fr = serializers.CharField(required=False)
    why_ar = serializers.CharField(required=False)


class ProjectClassSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    criteria = CriterionSerializer(many=True, help_text=_("Any matching criterion puts a file in this class; "
                                                          "the class without criteria is the default."))
    total_days = serializers.IntegerField()
    day_kind = serializers.ChoiceField(choices=DayKind.choices)
    silence_rule = serializers.ChoiceField(choices=SilenceRule.choices)
    deadline_source = serializers.CharField()
    declaration_only = serializers.BooleanField(help_text=_("Simple declaration: filing closes the file with its "
                                                            "receipt; nobody examines it."))
    seats = SeatSerializer(many=True, source="seats.all")


class RequiredDocumentSerializer(serializers.Serializer):
    document_type = DocumentTypeSerializer()
    mandatory = serializers.BooleanField()
    project_class = serializers.SerializerMethodField(help_text=_("Code of the class; null: required for every class"))

    condition = serializers.JSONField(help_text=_("Required only when the declared data meet this condition "
                                                  "({field, op, value}); empty: always."))

    def get_project_class(self, required) -> str | None:
        return required.project_class.code if required.project_class_id else None


class ProcedureVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)
    legal_source = serializers.CharField()
    dispatch_days = serializers.IntegerField()
    dispatch_day_kind = serializers.ChoiceField(choices=DayKind.choices)
    complement_suspends_clock = serializers.BooleanField()
    appeal = serializers.CharField()
    form_schema = FormFieldSerializer(many=True)
    classes = ProjectClassSerializer(many=True, source="classes.all")
    required_documents = RequiredDocumentSerializer(many=True, source="required_documents.all")


class ProcedureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_fr = serializers.CharField()
    name_ar = serializers.CharField()
    domain = serializers.CharField()
    reference_prefix = serializers.CharField()
    version = ProcedureVersionSerializer(help_text=_("The version in force today."))


# --- outputs: files ----------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class DocumentVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    document_type = serializers.CharField(source="document.document_type.code")
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    pages = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField()
    sanitised = serializers.BooleanField()
    removed = serializers.ListField(child=serializers.CharField(),
                                    help_text=_("What was removed from the file when it was cleaned."))
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, version) -> str:
        path = reverse("api:document-content", kwargs={"pk": version.document.dossier_id, "version_id": version.pk})
        return _absolute(self.context.get("request"), path)


class DocumentSerializer(serializers.Serializer):
    document_type = DocumentTypeSerializer()
    versions = DocumentVersionSerializer(many=True, source="versions.all", help_text=_("Newest first."))


class ClassificationSerializer(serializers.Serializer):
    project_class = NamedSerializer()
    total_days = serializers.IntegerField(source="project_class.total_days")
    day_kind = serializers.ChoiceField(source="project_class.day_kind", choices=DayKind.choices)
    silence_rule = serializers.ChoiceField(source="project_class.silence_rule", choices=SilenceRule.choices)
    deadline_source = serializers.CharField(source="project_class.deadline_source")
    why = serializers.ListField(child=serializers.CharField(), help_text=_("The criteria that put the file in this class."))
    provisional = serializers.BooleanField(help_text=_("True until the file is filed: the class follows the declared data."))


class SuspensionSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)


class ClockSerializer(serializers.Serializer):
    started_on = serializers.DateField(allow_null=True)
    total_days = serializers.IntegerField(allow_null=True)
    day_kind = serializers.ChoiceField(choices=DayKind.choices, allow_null=True)
    source = serializers.CharField(help_text=_("The legal text that sets the deadline."))
    suspended = serializers.BooleanField()
    suspensions = SuspensionSerializer(many=True)
    due_date = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True, help_text=_("Negative once overdue; null once the "
                                                                      "file is closed."))
    overdue = serializers.BooleanField()


class RoundSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    return_reasons = ReturnReasonSerializer(many=True, source="return_reasons.all")
    return_message = serializers.CharField()
    changes_url = serializers.SerializerMethodField(help_text=_("What changed since the previous round."))

    def get_changes_url(self, rnd) -> str | None:
        if rnd.number < 2:
            return None
        path = reverse("api:round-changes", kwargs={"pk": rnd.dossier_id, "number": rnd.number})
        return _absolute(self.context.get("request"), path)


class OpinionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=Opinion.Verdict.choices)
    verdict_display = serializers.CharField(source="get_verdict_display")
    text = serializers.CharField()
    author = PersonSerializer()
    given_at = serializers.DateTimeField()


class OrganisationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ConsultationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round.number")
    organisation = OrganisationSerializer()
    binding = serializers.BooleanField(source="seat.binding")
    dispatched_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    current_verdict = serializers.SerializerMethodField()
    opinions = OpinionSerializer(many=True, source="opinions.all")

    def get_current_verdict(self, consultation) -> str | None:
        current = consultation.current_opinion
        return current.verdict if current else None


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    outcome_display = serializers.CharField(source="get_outcome_display")
    conditions = serializers.CharField()
    reasons = serializers.CharField()
    decided_at = serializers.DateTimeField()
    verification_code = serializers.CharField()
    signer_name = serializers.CharField()
    signer_title = serializers.SerializerMethodField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    def get_signer_title(self, decision) -> str:
        return _signer_title(decision)

    def get_download_url(self, decision) -> str:
        return _absolute(self.context.get("request"), reverse("api:decision-pdf", kwargs={"pk": decision.dossier_id}))

    def get_verify_url(self, decision) -> str:
        path = reverse("api:verify-code", kwargs={"code": decision.verification_code})
        return _absolute(self.context.get("request"), path)


def _signer_title(decision) -> str:
    from django.utils.translation import get_language

    if (get_language() or "fr").startswith("ar"):
        return decision.signer_title_ar or decision.signer_title_fr
    return decision.signer_title_fr


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = PersonSerializer()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class TimelineEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    action = serializers.CharField()
    changes = serializers.DictField(child=serializers.ListField(child=serializers.JSONField(), min_length=2,
                                                                max_length=2), help_text=_("{field: [old, new]}"))
    data = serializers.DictField(child=serializers.JSONField())


class PermissionsSerializer(serializers.Serializer):
    """What the current user may do on this file now (from rokhas/dossiers/access.py)."""

    edit = serializers.BooleanField()
    submit = serializers.BooleanField()
    check = serializers.BooleanField()
    opinion = serializers.BooleanField()
    decide = serializers.BooleanField()
    message = serializers.BooleanField()


class DossierSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Dossier.Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    commune = NamedSerializer()
    procedure = NamedSerializer(source="procedure_version.procedure")
    project_class = NamedSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    filed_at = serializers.DateTimeField(allow_null=True)
    legal_due_date = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, dossier) -> str:
        return _absolute(self.context.get("request"), reverse("api:dossier-detail", kwargs={"pk": dossier.pk}))


class DossierDetailSerializer(DossierSummarySerializer):
    """The file as its reader sees it. Built by views.dossier_detail_data()."""

    procedure_version = serializers.IntegerField(source="procedure_version.version")
    applicant = PersonSerializer()
    owner = PersonSerializer()
    declared = serializers.DictField(child=serializers.JSONField(allow_null=True))
    closed_at = serializers.DateTimeField(allow_null=True)
    classification = serializers.SerializerMethodField()
    missing_documents = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    rounds = serializers.SerializerMethodField()
    consultations = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    messages = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()
    receipt_url = serializers.SerializerMethodField()

    def _extra(self, dossier, key):
        return self.context["extra"][key]

    @extend_schema_field(ClassificationSerializer(allow_null=True))
    def get_classification(self, dossier):
        value = self._extra(dossier, "classification")
        return ClassificationSerializer(value, context=self.context).data if value else None

    @extend_schema_field(DocumentTypeSerializer(many=True))
    def get_missing_documents(self, dossier):
        return DocumentTypeSerializer(self._extra(dossier, "missing_documents"), many=True).data

    @extend_schema_field(ClockSerializer)
    def get_clock(self, dossier):
        return ClockSerializer(self._extra(dossier, "clock")).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, dossier):
        return DocumentSerializer(self._extra(dossier, "documents"), many=True, context=self.context).data

    @extend_schema_field(RoundSerializer(many=True))
    def get_rounds(self, dossier):
        return RoundSerializer(self._extra(dossier, "rounds"), many=True, context=self.context).data

    @extend_schema_field(ConsultationSerializer(many=True))
    def get_consultations(self, dossier):
        return ConsultationSerializer(self._extra(dossier, "consultations"), many=True).data

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, dossier):
        value = self._extra(dossier, "decision")
        return DecisionSerializer(value, context=self.context).data if value else None

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, dossier):
        return MessageSerializer(self._extra(dossier, "messages"), many=True).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, dossier):
        return TimelineEntrySerializer(self._extra(dossier, "timeline"), many=True).data

    @extend_schema_field(PermissionsSerializer)
    def get_permissions(self, dossier):
        return PermissionsSerializer(self._extra(dossier, "permissions")).data

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_receipt_url(self, dossier):
        if dossier.filed_at is None:
            return None
        return _absolute(self.context.get("request"), reverse("api:dossier-receipt", kwargs={"pk": dossier.pk}))


class RoundChangesSerializer(serializers.Serializer):
    fields = serializers.DictField(child=serializers.ListField(child=serializers.JSONField(), min_length=2,
                                                               max_length=2), help_text=_("{field: [old, new]}"))
    documents = serializers.DictField(child=serializers.ChoiceField(choices=["added", "replaced", "removed"]))


# --- verification (public: no personal data but the signing official's name and title) ---------


class VerifiedDecisionSerializer(serializers.Serializer):
    reference = serializers.CharField(source="dossier.reference")
    procedure = NamedSerializer(source="dossier.procedure_version.procedure")
    commune = NamedSerializer(source="dossier.commune")
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    outcome_display = serializers.CharField(source="get_outcome_display")
    decided_at = serializers.DateTimeField()
    signer_name = serializers.CharField()
    signer_title = serializers.SerializerMethodField()
    verification_code = serializers.CharField()
    sha256 = serializers.CharField(help_text=_("SHA-256 of the signed PDF the platform issued."))

    def get_signer_title(self, decision) -> str:
        return _signer_title(decision)


class VerifyCodeResultSerializer(serializers.Serializer):
    authentic = serializers.BooleanField()
    decision = VerifiedDecisionSerializer()


class SignatureReportSerializer(serializers.Serializer):
    signed = serializers.BooleanField()
    intact = serializers.BooleanField()
    valid = serializers.BooleanField()
    trusted = serializers.BooleanField()
    signer_cn = serializers.CharField()
    signing_time = serializers.DateTimeField(allow_null=True)
    timestamp_present = serializers.BooleanField()
    ltv_embedded = serializers.BooleanField()
    pades_level = serializers.CharField()
    signature_count = serializers.IntegerField()
    signers = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class VerifyPdfResultSerializer(serializers.Serializer):
    authentic = serializers.BooleanField(help_text=_(
        "True when these exact bytes are a decision the platform issued and its signature is valid."))
    decision = VerifiedDecisionSerializer(allow_null=True)
    signature = SignatureReportSerializer()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class NotAuthenticSerializer(serializers.Serializer):
    authentic = serializers.BooleanField()
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """Field name -> messages; `non_field_errors` for messages about the request as a whole."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
