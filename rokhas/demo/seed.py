"""Build a small, realistic world: one big commune with its guichet unique and commission,
a second commune (to check that scopes hold), a small commune served by the provincial
committee, the applicants, and the president's signing certificate."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from rokhas.accounts.models import Membership, Organisation, User
from rokhas.territory.models import Commune

DEMO_PASSWORD = "Rokhas-demo-2026"
DEMO_PIN = "246810"  # the president's signing PIN in the demo (PKCS#12 passphrase)

R = Membership.Role
K = Organisation.Kind


@dataclass
class World:
    commune: Commune
    other_commune: Commune
    small_commune: Commune | None
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def _user(username, first, last, kind, email=None, cin="", language="fr") -> User:
    user, created = User.objects.get_or_create(username=username, defaults={
        "first_name": first, "last_name": last, "kind": kind, "email": email or f"{username}@demo.rokhas.ma",
        "cin": cin, "preferred_language": language})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _org(code, kind, fr, ar, **scope) -> Organisation:
    org, _ = Organisation.objects.update_or_create(code=code, defaults={
        "kind": kind, "name_fr": fr, "name_ar": ar, "email": f"{code}@demo.rokhas.ma", **scope})
    return org


def _member(user, org, role, title_fr="", title_ar=""):
    Membership.objects.update_or_create(user=user, organisation=org, role=role,
                                        defaults={"title_fr": title_fr, "title_ar": title_ar, "active": True})


# Bodies that sit on the commissions of the other procedures (catalogue): land registry for
# parcel splits, hygiene office and environment for economic activities, network operators for
# trenches and subdivisions. Key = organisation kind = key of their reviewer in World.users.
OTHER_REVIEWERS = {
    "land_registry": ("conservation.fonciere", "Amine", "Saadi"),
    "hygiene_office": ("bureau.hygiene", "Salma", "Idrissi"),
    "environment": ("environnement", "Kamal", "Bouzid"),
    "water_operator": ("operateur.eau", "Nabil", "Haddad"),
    "electricity_operator": ("operateur.electricite", "Imane", "Zerouali"),
    "telecom_operator": ("operateur.telecom", "Hamza", "Belkadi"),
}


def _add_other_bodies(w: World, c: Commune) -> None:
    p, r = c.province, c.province.region
    w.orgs["land_registry"] = _org(f"conservation-fonciere-{p.code}", K.LAND_REGISTRY,
                                   f"Conservation foncière de {p.name_fr} (ANCFCC)",
                                   f"المحافظة العقارية {p.name_ar} (الوكالة الوطنية للمحافظة العقارية)", province=p)
    w.orgs["hygiene_office"] = _org(f"bureau-hygiene-{c.code}", K.HYGIENE_OFFICE,
                                    f"Bureau municipal d'hygiène de {c.name_fr}", f"المكتب الجماعي لحفظ الصحة {c.name_ar}",
                                    commune=c)
    w.orgs["environment"] = _org(f"environnement-{r.code}", K.ENVIRONMENT,
                                 f"Direction régionale de l'environnement — {r.name_fr}",
                                 f"المديرية الجهوية للبيئة — {r.name_ar}", region=r)
    w.orgs["water_operator"] = _org(f"operateur-eau-{r.code}", K.WATER_OPERATOR,
                                    f"Distributeur d'eau et d'assainissement — {r.name_fr}",
                                    f"موزع الماء والتطهير — {r.name_ar}", region=r)
    w.orgs["electricity_operator"] = _org(f"operateur-electricite-{r.code}", K.ELECTRICITY_OPERATOR,
                                          f"Distributeur d'électricité — {r.name_fr}", f"موزع الكهرباء — {r.name_ar}",
                                          region=r)
    w.orgs["telecom_operator"] = _org(f"operateur-telecom-{r.code}", K.TELECOM_OPERATOR,
                                      f"Opérateur de télécommunications — {r.name_fr}", f"متعهد الاتصالات — {r.name_ar}",
                                      region=r)


@transaction.atomic
def build_world(commune: Commune, other_commune: Commune, small_commune: Commune | None = None) -> World:
    w = World(commune, other_commune, small_commune)
    c, o = commune, other_commune
    w.orgs["commune"] = _org(f"commune-{c.code}", K.COMMUNE, f"Commune de {c.name_fr}", f"جماعة {c.name_ar}", commune=c)
    w.orgs["urban_agency"] = _org(f"agence-urbaine-{c.province.code}", K.URBAN_AGENCY,
                                  f"Agence urbaine de {c.province.name_fr}", f"الوكالة الحضرية {c.province.name_ar}",
                                  province=c.province)
    w.orgs["local_authority"] = _org(f"autorite-locale-{c.code}", K.LOCAL_AUTHORITY, f"Pachalik de {c.name_fr}",
                                     f"باشوية {c.name_ar}", commune=c)
    w.orgs["civil_protection"] = _org(f"protection-civile-{c.province.code}", K.CIVIL_PROTECTION,
                                      f"Protection civile — {c.province.name_fr}",
                                      f"الوقاية المدنية — {c.province.name_ar}", province=c.province)
    _add_other_bodies(w, c)
    w.orgs["other_commune"] = _org(f"commune-{o.code}", K.COMMUNE, f"Commune de {o.name_fr}", f"جماعة {o.name_ar}",
                                   commune=o)
    w.orgs["other_urban_agency"] = _org(f"agence-urbaine-{o.province.code}", K.URBAN_AGENCY,
                                        f"Agence urbaine de {o.province.name_fr}",
                                        f"الوكالة الحضرية {o.province.name_ar}", province=o.province)
    w.orgs["other_local_authority"] = _org(f"autorite-locale-{o.code}", K.LOCAL_AUTHORITY,
                                           f"Pachalik de {o.name_fr}", f"باشوية {o.name_ar}", commune=o)
    w.orgs["ministry"] = _org("ministere-interieur-dgct", K.MINISTRY, "Ministère de l'Intérieur — DGCT",
                              "وزارة الداخلية — المديرية العامة للجماعات الترابية")
    if small_commune is not None:
        s = small_commune
        w.orgs["small_commune"] = _org(f"commune-{s.code}", K.COMMUNE, f"Commune de {s.name_fr}",
                                       f"جماعة {s.name_ar}", commune=s)
        w.orgs["provincial_committee"] = _org(
            f"comite-provincial-{s.province.code}", K.PROVINCIAL_COMMITTEE,
            f"Comité provincial d'urbanisme — {s.province.name_fr}", f"اللجنة الإقليمية للتعمير — {s.province.name_ar}",
            province=s.province)

    U = User.Kind
    w.users["architect"] = _user("architecte", "Karim", "Bennani", U.ARCHITECT, cin="AB123456")
    w.users["architect"].professional_number = "CNOA-RB-1234"
    w.users["architect"].save(update_fields=["professional_number"])
    w.users["owner"] = _user("proprietaire", "Fatima Zahra", "El Idrissi", U.CITIZEN, cin="G765432", language="ar")
    w.users["guichet"] = _user("guichet", "Samir", "Alaoui", U.OFFICIAL)
    w.users["commune_reviewer"] = _user("service.urbanisme", "Nadia", "Berrada", U.OFFICIAL)
    w.users["urban_agency"] = _user("agence.urbaine", "Youssef", "Tazi", U.OFFICIAL)
    w.users["local_authority"] = _user("autorite.locale", "Hicham", "Ouazzani", U.OFFICIAL)
    w.users["civil_protection"] = _user("protection.civile", "Rachid", "Amrani", U.OFFICIAL)
    w.users["president"] = _user("president", "Mohammed", "Chraibi", U.OFFICIAL, cin="K112233")
    w.users["delegate"] = _user("delegue", "Laila", "Fassi", U.OFFICIAL, cin="K445566")
    w.users["other_guichet"] = _user("guichet.autre", "Omar", "Kettani", U.OFFICIAL)
    w.users["other_president"] = _user("president.autre", "Aicha", "Benjelloun", U.OFFICIAL)
    w.users["supervisor"] = _user("dgct", "Driss", "Sqalli", U.OFFICIAL)
    w.users["other_citizen"] = _user("citoyen", "Said", "Naciri", U.CITIZEN)

    _member(w.users["guichet"], w.orgs["commune"], R.GUICHET_AGENT, "Agent du guichet unique", "موظف الشباك الوحيد")
    _member(w.users["commune_reviewer"], w.orgs["commune"], R.REVIEWER, "Division de l'urbanisme", "قسم التعمير")
    _member(w.users["urban_agency"], w.orgs["urban_agency"], R.REVIEWER)
    _member(w.users["local_authority"], w.orgs["local_authority"], R.REVIEWER)
    _member(w.users["civil_protection"], w.orgs["civil_protection"], R.REVIEWER)
    _member(w.users["president"], w.orgs["commune"], R.PRESIDENT, "Président du conseil communal",
            "رئيس المجلس الجماعي")
    _member(w.users["delegate"], w.orgs["commune"], R.DELEGATE, "Vice-présidente déléguée à l'urbanisme",
            "نائبة الرئيس المفوضة في التعمير")
    _member(w.users["other_guichet"], w.orgs["other_commune"], R.GUICHET_AGENT)
    _member(w.users["other_president"], w.orgs["other_commune"], R.PRESIDENT)
    _member(w.users["supervisor"], w.orgs["ministry"], R.SUPERVISOR)
    for key, (username, first, last) in OTHER_REVIEWERS.items():
        w.users[key] = _user(username, first, last, U.OFFICIAL)
        _member(w.users[key], w.orgs[key], R.REVIEWER)
    if small_commune is not None:
        w.users["committee"] = _user("comite.provincial", "Mounir", "Lahlou", U.OFFICIAL)
        _member(w.users["committee"], w.orgs["provincial_committee"], R.GUICHET_AGENT)
    return w
