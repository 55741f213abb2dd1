"""A realistic declaration for every procedure of the catalogue: used by the demo files and by
the tests that carry each procedure through its whole path."""

from __future__ import annotations

# procedure code -> (who files it: "architect" or "owner", title, declared data)
SAMPLES: dict[str, tuple[str, str, dict]] = {
    "permis-construire": ("architect", "Maison Benjelloun — extension", {
        "nature": "modification", "use": "individual_housing", "land_title": "TF 33107/09",
        "address": "Quartier Maghrib Al Arabi, rue 7, n° 21", "land_area_m2": 160, "floor_area_m2": 240,
        "levels": 2, "description": "Réaménagement du rez-de-chaussée et ouverture d'une baie"}),
    "lotir": ("architect", "Lotissement Al Yasmine", {
        "land_title": "TF 77420/09", "address": "Route de Sidi Yahya, km 4", "land_area_m2": 42000, "lots": 180,
        "purpose": "housing", "description": "Lotissement d'habitat économique, 180 lots, école et mosquée"}),
    "groupe-habitations": ("architect", "Groupe d'habitations Riad Sebou", {
        "land_title": "TF 80112/09", "address": "Boulevard Mohammed V prolongé", "land_area_m2": 9500,
        "dwellings": 64, "floor_area_m2": 7800, "levels": 3, "description": "64 logements R+2 en bandes"}),
    "morceler": ("architect", "Morcellement du terrain Ait Ali", {
        "land_title": "TF 51234/09", "address": "Douar Ouled Oujih, parcelle 18", "land_area_m2": 1200, "parts": 3,
        "reason": "Partage successoral entre trois héritiers"}),
    "permis-refection": ("architect", "Réfection de la façade — immeuble Zerktouni", {
        "land_title": "TF 12098/09", "address": "Avenue Zerktouni, n° 45", "works": "facade", "floor_area_m2": 320,
        "description": "Ravalement de la façade sur rue et reprise des balcons"}),
    "permis-regularisation": ("architect", "Régularisation maison Chafik", {
        "use": "individual_housing", "land_title": "TF 66001/09", "address": "Hay Ouled Oujih, bloc C, n° 12",
        "land_area_m2": 120, "floor_area_m2": 210, "levels": 2, "built_year": 2014,
        "description": "Étage construit sans autorisation en 2014"}),
    "permis-demolir": ("architect", "Démolition de l'entrepôt rue de Fès", {
        "land_title": "TF 40050/09", "address": "Rue de Fès, n° 9", "floor_area_m2": 450, "levels": 1,
        "adjoining": True, "description": "Entrepôt désaffecté, mitoyen d'un immeuble R+3"}),
    "permis-habiter": ("architect", "Permis d'habiter — villa Lahlou", {
        "permit_reference": "PC-281.01.01-2025-000412", "completion_date": "15/10/2026",
        "use": "individual_housing", "floor_area_m2": 280, "description": "Villa R+1 achevée conformément au permis"}),
    "certificat-conformite": ("architect", "Certificat de conformité — centre commercial Atlas", {
        "permit_reference": "PC-281.01.01-2024-001877", "completion_date": "30/09/2026", "use": "commercial",
        "floor_area_m2": 5400, "receives_public": True, "description": "Centre commercial de 40 boutiques"}),
    "autorisation-publicite": ("owner", "Enseigne lumineuse — pharmacie Al Amal", {
        "address": "Avenue Hassan II, n° 118", "support": "lightbox", "surface_m2": 3.5, "illuminated": True,
        "on_public_domain": False, "duration_months": 12, "description": "Caisson lumineux en façade"}),
    "activite-declaration": ("owner", "Épicerie El Idrissi", {
        "activity": "epicerie", "trade_name": "Épicerie Al Baraka", "premises_address": "Rue 14, n° 3, Saknia",
        "premises_area_m2": 24, "description": "Vente de produits alimentaires préemballés"}),
    "activite-autorisation": ("owner", "Café Les Jardins", {
        "activity": "cafe", "trade_name": "Café Les Jardins", "premises_address": "Avenue Mohammed Diouri, n° 60",
        "premises_area_m2": 85, "opening_hours": "07:00–23:00", "description": "Café avec salle et comptoir"}),
    "etablissement-classe": ("owner", "Garage mécanique Atlas", {
        "activity": "garage-mecanique", "trade_name": "Garage Atlas",
        "premises_address": "Zone artisanale, lot 22", "premises_area_m2": 150, "power_kw": 12,
        "description": "Réparation mécanique de véhicules légers, sans peinture"}),
    "occupation-domaine-public": ("owner", "Terrasse du café Les Jardins", {
        "purpose": "terrace", "location": "Trottoir devant le n° 60, avenue Mohammed Diouri", "surface_m2": 18,
        "duration_months": 12, "description": "Six tables et parasols, passage piéton de 1,50 m conservé"}),
    "ouverture-tranchees": ("owner", "Raccordement fibre optique — rue Ibn Sina", {
        "network": "telecom", "route": "Rue Ibn Sina, du n° 2 au n° 40", "length_m": 180, "width_m": 0.4,
        "duration_days": 10, "road_restoration": True,
        "description": "Pose de fourreaux pour la fibre optique sous trottoir"}),
}

# The telecom variant of the occupation of the public domain (another class of the same procedure).
TELECOM_OCCUPATION = ("owner", "Antenne relais — toit du marché municipal", {
    "purpose": "telecom", "location": "Marché municipal, terrasse nord", "surface_m2": 12, "duration_months": 60,
    "description": "Antenne relais 4G et armoire technique"})
