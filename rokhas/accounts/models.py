"""People and the organisations they act for.

Applicants (owners, architects) act for themselves. Officials act through a Membership in
an Organisation, with a role; what a role may do is decided in each domain's `access.py`.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from rokhas.core.bilingual import localized


class User(AbstractUser):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("citizen or company")
        ARCHITECT = "architect", _("architect")
        SURVEYOR = "surveyor", _("surveyor (IGT)")
        OFFICIAL = "official", _("official")

    email = models.EmailField(_("e-mail address"), unique=True)
    kind = models.CharField(_("kind of account"), max_length=20, choices=Kind.choices, default=Kind.CITIZEN)
    cin = models.CharField(_("national identity card (CIN)"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    professional_number = models.CharField(_("order registration number"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=[("ar", "العربية"), ("fr", "Français")], default="fr"
    )

    @property
    def is_professional(self) -> bool:
        return self.kind in {self.Kind.ARCHITECT, self.Kind.SURVEYOR}

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune")
        ARRONDISSEMENT = "arrondissement", _("arrondissement")
        PROVINCIAL_COMMITTEE = "provincial_committee", _("prefectural/provincial urbanism committee")
        URBAN_AGENCY = "urban_agency", _("urban agency")
        LOCAL_AUTHORITY = "local_authority", _("local authority")
        CIVIL_PROTECTION = "civil_protection", _("civil protection")
        NETWORK_OPERATOR = "network_operator", _("network operator")
        LAND_REGISTRY = "land_registry", _("land registry (ANCFCC)")
        HYGIENE_OFFICE = "hygiene_office", _("municipal hygiene office")
        ENVIRONMENT = "environment", _("environment department")
        WATER_OPERATOR = "water_operator", _("water and sanitation operator")
        ELECTRICITY_OPERATOR = "electricity_operator", _("electricity operator")
        TELECOM_OPERATOR = "telecom_operator", _("telecommunications operator")
        MINISTRY = "ministry", _("Ministry of the Interior")
        OTHER = "other", _("other body")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    # Territorial scope: the most precise level set wins when matching a commune.
    commune = models.ForeignKey("territory.Commune", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="organisations")
    province = models.ForeignKey("territory.Province", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="organisations")
    region = models.ForeignKey("territory.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="organisations")
    email = models.EmailField(_("e-mail address"), blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name_fr"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        GUICHET_AGENT = "guichet_agent", _("single-window agent")
        REVIEWER = "reviewer", _("commission member")
        PRESIDENT = "president", _("commune president")
        DELEGATE = "delegate", _("president's delegate")
        SUPERVISOR = "supervisor", _("supervisor (read only)")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        unique_together = [("user", "organisation", "role")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class ApiTokenVerification(models.Model):
    """The second factor checked for an API token (POST /api/v1/auth/second-factor/): until
    `verified_until`, calls with that token may act like a verified web session."""

    token = models.OneToOneField("authtoken.Token", on_delete=models.CASCADE, primary_key=True,
                                 related_name="second_factor")
    verified_until = models.DateTimeField()

    class Meta:
        verbose_name = _("API token second-factor check")
        verbose_name_plural = _("API token second-factor checks")
