"""Importing commune populations with rokhas_import_population."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rokhas.territory.models import Commune, Province, Region
from rokhas.territory.population import normalise_code, parse_population

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "rokhas" / "territory" / "data" / "population-sample.csv"


@pytest.fixture
def communes():
    region = Region.objects.create(code="06", name_fr="Casablanca-Settat", name_ar="الدار البيضاء - سطات")
    province = Province.objects.create(code="141", name_fr="Casablanca", name_ar="الدار البيضاء",
                                       region=region, kind=Province.Kind.PREFECTURE)
    return {
        code: Commune.objects.create(code=code, name_fr=name, name_ar=name_ar, province=province)
        for code, name, name_ar in [
            ("141.01.01", "Anfa", "أنفا"),
            ("141.01.03", "El Maarif", "المعاريف"),
            ("141.01.07", "Sidi Belyout", "سيدي بليوط"),
        ]
    }


def write(tmp_path: Path, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / "population.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rokhas_import_population", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def population(code: str) -> tuple[int | None, int | None]:
    commune = Commune.objects.get(code=code)
    return commune.population, commune.population_year


def test_imports_a_plain_csv_with_year(communes, tmp_path):
    path = write(tmp_path, "code,population\n141.01.01,94000\n141.01.03,180 500\n")

    out, _ = run(path, "--year", "2024")

    assert population("141.01.01") == (94000, 2024)
    assert population("141.01.03") == (180500, 2024)
    assert population("141.01.07") == (None, None)
    assert "Imported the population of 2 commune(s) for 2024; 2 above the guichet unique threshold." in out


def test_accepts_bom_semicolons_and_french_header(communes, tmp_path):
    path = write(tmp_path, "code_commune;population\r\n141.01.01;94000\r\n\r\n141.1.7;30000\r\n", bom=True)

    run(path)

    assert population("141.01.01") == (94000, None)
    assert population("141.01.07") == (30000, None)  # "141.1.7": leading zeros restored


def test_accepts_commune_code_header_and_extra_columns(communes, tmp_path):
    path = write(tmp_path, "name,commune_code,population\nAnfa,141.01.01,94000\n")

    run(path)

    assert population("141.01.01") == (94000, None)


def test_unknown_code_imports_nothing_and_names_the_line(communes, tmp_path):
    path = write(tmp_path, "code,population\n141.01.01,94000\n999.01.01,1000\n141.01.03,180000\n")

    with pytest.raises(CommandError) as error:
        run(path)

    message = str(error.value)
    assert "1 invalid row(s), nothing imported" in message
    assert "line 3: unknown commune code '999.01.01'" in message
    assert population("141.01.01") == (None, None)
    assert population("141.01.03") == (None, None)


@pytest.mark.parametrize("bad", ["12.5", "-3", "abc", "", "1,234", "99999999"])
def test_bad_number_imports_nothing(communes, tmp_path, bad):
    path = write(tmp_path, f'code,population\n141.01.01,94000\n141.01.03,"{bad}"\n')

    with pytest.raises(CommandError, match=r"line 3: population .* is not a whole number"):
        run(path)

    assert population("141.01.01") == (None, None)


def test_duplicate_code_is_an_error(communes, tmp_path):
    path = write(tmp_path, "code,population\n141.01.01,94000\n141.01.01,95000\n")

    with pytest.raises(CommandError, match="line 3: commune 141.01.01 already given on line 2"):
        run(path)


def test_skip_invalid_imports_the_good_rows(communes, tmp_path):
    path = write(tmp_path, "code,population\n141.01.01,94000\n999.01.01,1000\n141.01.03,lots\n")

    out, err = run(path, "--skip-invalid")

    assert population("141.01.01") == (94000, None)
    assert population("141.01.03") == (None, None)
    assert "skipped line 3: unknown commune code '999.01.01'" in err
    assert "skipped line 4: population 'lots'" in err
    assert "2 invalid row(s) skipped" in out


def test_missing_header_is_refused(communes, tmp_path):
    path = write(tmp_path, "141.01.01,94000\n")

    with pytest.raises(CommandError, match="expected a header"):
        run(path)


def test_not_utf8_is_refused(communes, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("code,population\n141.01.01,94000 é\n".encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        run(path)


def test_guichet_unique_threshold_is_strictly_above_50000(communes, tmp_path):
    path = write(tmp_path, "code,population\n141.01.01,50000\n141.01.03,50001\n")

    out, _ = run(path)

    assert Commune.objects.get(code="141.01.01").has_guichet_unique is False
    assert Commune.objects.get(code="141.01.03").has_guichet_unique is True
    assert Commune.objects.get(code="141.01.07").has_guichet_unique is False  # no population known
    assert "1 above the guichet unique threshold" in out


def test_sample_file_matches_the_reference_data():
    call_command("rokhas_load_territory", stdout=StringIO())

    out, _ = run(SAMPLE, "--year", "2014")

    assert "Imported the population of 15 commune(s)" in out
    assert Commune.objects.get(name_fr="Agadir").has_guichet_unique
    assert not Commune.objects.get(name_fr="Ifrane", kind=Commune.Kind.URBAN).has_guichet_unique


def test_code_and_number_helpers():
    assert normalise_code(" 1.1.1 ") == "001.01.01"
    assert normalise_code("141.01.61") == "141.01.61"
    assert normalise_code("abc") == "abc"
    assert parse_population("1\u202f234\u202f567") == 1234567
    assert parse_population("0") == 0
    assert parse_population("1 23") is None
