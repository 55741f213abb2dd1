"""Forms of the web pages. They only shape input; every rule on the data is the domain's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rokhas.catalogue.declared_data import choice_label, choices_of, field_label
from rokhas.catalogue.models import ReturnReason
from rokhas.decisions.models import Decision
from rokhas.review.models import Opinion

# What an <input type=file accept=...> should offer for each format the catalogue allows.
ACCEPT = {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png"}


class NewDossierForm(forms.Form):
    q = forms.CharField(label=_("Search a commune"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "data-testid": "commune-search"}))
    commune = forms.CharField(label=_("Commune"), required=False, max_length=20)
    commune_list = forms.CharField(label=_("Or choose from the full list"), required=False, max_length=20)
    procedure = forms.ChoiceField(label=_("Procedure"), choices=(), required=False)
    # An economic activity found by search: its regime decides the procedure.
    activity_q = forms.CharField(label=_("Search an economic activity"), required=False, max_length=100)
    activity = forms.CharField(label=_("Economic activity"), required=False, max_length=60)
    owner_email = forms.EmailField(
        label=_("Owner's e-mail address"), max_length=254,
        help_text=_("The owner must already have an account on Rokhas; the owner sees everything on the file."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "data-testid": "owner-email"}))
    title = forms.CharField(label=_("Project title"), widget=forms.TextInput(
        attrs={"maxlength": "200", "dir": "auto", "data-testid": "title"}))

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", "—")] + [(p.code, p.name) for p, _v in procedures]
        self.fields["procedure"].widget.attrs["data-testid"] = "procedure"

    @property
    def commune_code(self) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return (data.get("commune") or data.get("commune_list") or "").strip()


def _declared_field(spec: dict) -> forms.Field:
    kind = spec.get("type", "text")
    label = field_label(spec)
    attrs = {"data-testid": f"field-{spec['name']}"}
    if kind == "bool":
        return forms.BooleanField(label=label, required=False, widget=forms.CheckboxInput(attrs=attrs))
    if kind == "choice":
        choices = [("", "—")] + [(c[0], choice_label(spec, c[0])) for c in choices_of(spec)]
        # A CharField, not a ChoiceField: the domain says what an invalid choice is.
        return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices, attrs=attrs))
    if kind in ("text", "longtext"):
        attrs["dir"] = "auto"
    if kind == "longtext":
        if spec.get("max_length"):
            attrs["maxlength"] = str(spec["max_length"])
        return forms.CharField(label=label, required=False, strip=False,
                               widget=forms.Textarea(attrs={**attrs, "rows": 4}))
    if kind in ("int", "decimal"):
        attrs["inputmode"] = "numeric" if kind == "int" else "decimal"
        attrs["dir"] = "ltr"
        return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))
    if spec.get("max_length"):
        attrs["maxlength"] = str(spec["max_length"])
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))


class DeclaredForm(forms.Form):
    """The procedure version's form, built from its form_schema (bilingual labels)."""

    title = forms.CharField(label=_("Project title"), required=False,
                            widget=forms.TextInput(attrs={"maxlength": "200", "dir": "auto", "data-testid": "field-title"}))

    def __init__(self, schema: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = schema
        for spec in schema:
            if spec["name"] == "title":
                continue
            field = _declared_field(spec)
            field.required_for_submission = bool(spec.get("required"))
            self.fields[spec["name"]] = field

    def declared(self) -> dict:
        """The raw values to hand to the domain (which cleans and checks them)."""
        return {spec["name"]: self.cleaned_data.get(spec["name"]) for spec in self.schema
                if spec["name"] in self.fields and spec["name"] != "title"}


class UploadForm(forms.Form):
    document_type = forms.CharField(max_length=60, widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"))


class SubmitForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)


class ReasonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ReturnReason) -> str:
        return obj.label


class ReturnForm(forms.Form):
    reasons = ReasonChoiceField(label=_("Coded reasons"), queryset=ReturnReason.objects.all(),
                                to_field_name="code", required=False, widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(label=_("Message to the applicant"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "data-testid": "return-message"}))


class OpinionForm(forms.Form):
    consultation = forms.TypedChoiceField(label=_("On behalf of"), coerce=int, required=False, choices=())
    verdict = forms.ChoiceField(label=_("Opinion"), choices=Opinion.Verdict.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Reservations or reasons"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "data-testid": "opinion-text"}))

    def __init__(self, *args, consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].choices = [(c.pk, c.organisation.name) for c in consultations]
        self.several = len(consultations) > 1


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (Decision.Outcome.GRANTED, _("Grant the permit")),
        (Decision.Outcome.REFUSED, _("Refuse the permit")),
    ])
    conditions = forms.CharField(label=_("Conditions (if granted)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "data-testid": "decide-conditions"}))
    reasons = forms.CharField(label=_("Reasons (mandatory for a refusal)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "data-testid": "decide-reasons"}))
    pin = forms.CharField(label=_("PIN of your signing certificate"), max_length=128, strip=False,
                          widget=forms.PasswordInput(attrs={"autocomplete": "off", "data-testid": "decide-pin"}))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "data-testid": "message-body"}))


class VerifyCodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40, widget=forms.TextInput(attrs={
        "autocomplete": "off", "placeholder": "XXXXX-XXXXX", "dir": "ltr", "data-testid": "verify-code"}))


class VerifyPdfForm(forms.Form):
    pdf = forms.FileField(label=_("Signed PDF document"), widget=forms.ClearableFileInput(attrs={
        "accept": ".pdf,application/pdf", "data-testid": "verify-pdf"}))
