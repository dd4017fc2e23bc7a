"""Schools and boards from the register: the parser, the import service, the command and the
coordinator's upload page."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal import registers
from portal.models import AuditEvent, School, Schoolbestuur
from tests import factories as f

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "scholen-sample.csv"

HEADER = "BEVOEGD GEZAG NUMMER;BEVOEGD GEZAG NAAM;VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM\n"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n".join(lines) + "\n").encode(encoding)


def do_import(partnerschap, data: bytes, **kwargs) -> registers.ImportResult:
    return registers.scholen_import(partnerschap=partnerschap, data=data, **kwargs)


# --- the sample file and idempotency -------------------------------------------------------


def test_sample_file_creates_boards_and_schools():
    ps = f.PartnerschapFactory()
    result = do_import(ps, SAMPLE.read_bytes())
    assert result.errors == []
    assert result.rows == 10
    assert (result.besturen.created, result.scholen.created) == (4, 10)
    assert Schoolbestuur.objects.filter(partnerschap=ps).count() == 4
    assert School.objects.filter(bestuur__partnerschap=ps).count() == 10
    mozaiek = School.objects.get(brin="05JK00")
    assert mozaiek.name == "CBS Het Mozaïek"
    assert mozaiek.plaats == "Zaltbommel"
    assert mozaiek.bestuur.bevoegd_gezag_nummer == "41003"
    assert mozaiek.bestuur.name == "Vereniging Christelijk Onderwijs Bommelerwaard"
    assert School.objects.get(brin="07NP00").plaats == "Vianen UT"


def test_importing_the_same_file_twice_changes_nothing():
    ps = f.PartnerschapFactory()
    first = do_import(ps, SAMPLE.read_bytes())
    snapshot = list(
        School.objects.order_by("brin").values_list("brin", "name", "plaats", "bestuur")
    )
    second = do_import(ps, SAMPLE.read_bytes())
    assert first.changed and not second.changed
    assert (second.besturen.created, second.besturen.updated, second.besturen.unchanged) == (
        0,
        0,
        4,
    )
    assert (second.scholen.created, second.scholen.updated, second.scholen.unchanged) == (0, 0, 10)
    assert (
        list(School.objects.order_by("brin").values_list("brin", "name", "plaats", "bestuur"))
        == snapshot
    )
    assert Schoolbestuur.objects.count() == 4


def test_existing_records_are_updated_not_duplicated():
    ps = f.PartnerschapFactory()
    bestuur = f.SchoolbestuurFactory(partnerschap=ps, bevoegd_gezag_nummer="41001", name="Oud")
    school = f.SchoolFactory(bestuur=bestuur, brin="01AB00", name="Oude naam", plaats="Tiel")
    school.leiders.add(f.UserFactory())
    result = do_import(ps, SAMPLE.read_bytes())
    assert (result.besturen.updated, result.scholen.updated) == (1, 1)
    school.refresh_from_db()
    bestuur.refresh_from_db()
    assert school.name == "Basisschool De Regenboog"
    assert bestuur.name == "Stichting Primair Onderwijs Rivierenland"
    assert school.leiders.count() == 1  # untouched: the register knows nothing of people
    assert School.objects.filter(brin="01AB00").count() == 1


def test_a_school_moves_to_its_new_board_within_the_partnership():
    ps = f.PartnerschapFactory()
    old = f.SchoolbestuurFactory(partnerschap=ps, bevoegd_gezag_nummer="41099")
    school = f.SchoolFactory(bestuur=old, brin="01AB00", name="Basisschool De Regenboog")
    do_import(ps, SAMPLE.read_bytes())
    school.refresh_from_db()
    assert school.bestuur.bevoegd_gezag_nummer == "41001"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("TIEL", "Tiel"),
        ("'S-HERTOGENBOSCH", "'s-Hertogenbosch"),
        ("ALPHEN AAN DEN RIJN", "Alphen aan den Rijn"),
        ("CAPELLE AAN DEN IJSSEL", "Capelle aan den IJssel"),
        ("BERGEN NH", "Bergen NH"),
        ("Den Haag", "Den Haag"),
    ],
)
def test_place_names_in_capitals_are_written_normally(raw, shown):
    assert registers.plaatsnaam(raw) == shown


def test_existing_lower_case_code_is_matched():
    ps = f.PartnerschapFactory()
    bestuur = f.SchoolbestuurFactory(partnerschap=ps, bevoegd_gezag_nummer="41001")
    f.SchoolFactory(bestuur=bestuur, brin="01ab00")
    do_import(ps, csv_bytes("41001;Stichting X;01AB00;Basisschool De Regenboog;TIEL"))
    assert list(School.objects.values_list("brin", flat=True)) == ["01AB00"]


def test_dry_run_counts_but_stores_nothing():
    ps = f.PartnerschapFactory()
    result = do_import(ps, SAMPLE.read_bytes(), dry_run=True)
    assert result.dry_run
    assert result.scholen.created == 10
    assert not School.objects.exists()
    assert not Schoolbestuur.objects.exists()


def test_an_import_that_changes_something_is_audited():
    ps = f.PartnerschapFactory()
    coordinator = f.UserFactory()
    do_import(ps, SAMPLE.read_bytes(), actor=coordinator, filename="duo.csv")
    event = AuditEvent.objects.get(action="scholen.import")
    assert event.actor == coordinator
    assert event.detail["scholen"]["created"] == 10
    assert event.detail["file"] == "duo.csv"


# --- formats -----------------------------------------------------------------------------


def test_headers_are_case_and_spacing_insensitive_and_comma_delimited():
    ps = f.PartnerschapFactory()
    data = (
        '\ufeff"bevoegd_gezag_nummer","Bevoegd-Gezag  Naam","brin nummer","vestigingsnummer",'
        '"Vestigingsnaam","plaatsnaam"\n'
        '"41001","Stichting A","12AB","1","De Wilg","UTRECHT"\n'
    ).encode()
    result = do_import(ps, data)
    assert result.errors == []
    school = School.objects.get()
    assert (school.brin, school.name, school.plaats) == ("12AB01", "De Wilg", "Utrecht")


def test_latin1_file_is_read():
    ps = f.PartnerschapFactory()
    data = csv_bytes("41001;Stichting Één;05JK00;CBS Het Mozaïek;ZALTBOMMEL", encoding="latin-1")
    do_import(ps, data)
    school = School.objects.select_related("bestuur").get()
    assert (school.name, school.bestuur.name) == ("CBS Het Mozaïek", "Stichting Één")


def test_windows_1252_file_is_read():
    ps = f.PartnerschapFactory()
    do_import(ps, csv_bytes("41001;A;04GH00;Kindcentrum ’t Kompas;ZOELEN", encoding="cp1252"))
    assert School.objects.get().name == "Kindcentrum ’t Kompas"


def test_brin_without_vestigingsnummer_is_the_main_location():
    ps = f.PartnerschapFactory()
    data = csv_bytes(
        "41001;Stichting A;12AB;De Wilg;Utrecht",
        header="BEVOEGD GEZAG NUMMER;BEVOEGD GEZAG NAAM;BRIN NUMMER;INSTELLINGSNAAM;PLAATSNAAM\n",
    )
    do_import(ps, data)
    assert School.objects.get().brin == "12AB00"


def test_without_board_name_a_new_board_gets_its_number_and_an_existing_name_stays():
    ps = f.PartnerschapFactory()
    f.SchoolbestuurFactory(partnerschap=ps, bevoegd_gezag_nummer="41001", name="Stichting Echt")
    header = "BEVOEGD GEZAG NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM\n"
    do_import(ps, csv_bytes("41001;01AB00;School A", "41002;02CD00;School B", header=header))
    assert Schoolbestuur.objects.get(bevoegd_gezag_nummer="41001").name == "Stichting Echt"
    assert Schoolbestuur.objects.get(bevoegd_gezag_nummer="41002").name == "Bevoegd gezag 41002"


# --- errors ------------------------------------------------------------------------------


def test_bad_rows_are_reported_with_line_and_dutch_reason_and_the_rest_is_imported():
    ps = f.PartnerschapFactory()
    data = csv_bytes(
        "41001;Stichting A;01AB00;Goede school;TIEL",  # line 2
        "41001;Stichting A;XYZ;Kapotte code;TIEL",  # line 3
        "41001;Stichting A;02CD00;;TIEL",  # line 4
        "abc;Stichting A;03EF00;School C;TIEL",  # line 5
        ";Stichting A;04GH00;School D;TIEL",  # line 6
        "",  # line 7: empty, skipped
        "41001;Stichting A;01AB00;Dubbel;TIEL",  # line 8
        "41002;Stichting B;05JK00;Nog een goede;ZALTBOMMEL",  # line 9
    )
    result = do_import(ps, data)
    assert [(e.line, e.message.split(" ")[0]) for e in result.errors] == [
        (3, "Het"),
        (4, "De"),
        (5, "Het"),
        (6, "Het"),
        (8, "Vestiging"),
    ]
    messages = {e.line: e.message for e in result.errors}
    assert "geen geldige code" in messages[3]
    assert "naam van de vestiging ontbreekt" in messages[4]
    assert "geen nummer" in messages[5]
    assert "bevoegd-gezagnummer ontbreekt" in messages[6]
    assert "staat al op regel 2" in messages[8]
    assert set(School.objects.values_list("brin", flat=True)) == {"01AB00", "05JK00"}


def test_missing_required_columns_stop_the_whole_file():
    ps = f.PartnerschapFactory()
    with pytest.raises(registers.RegisterFileError, match="mist deze kolommen"):
        do_import(ps, csv_bytes("Tiel;De Wilg", header="PLAATSNAAM;VESTIGINGSNAAM\n"))
    assert not School.objects.exists()


def test_binary_file_is_refused():
    with pytest.raises(registers.RegisterFileError):
        registers.read_register(b"PK\x03\x04\x00\x00binary")


def test_board_of_another_partnership_is_never_moved():
    ps = f.PartnerschapFactory()
    other = f.SchoolbestuurFactory(bevoegd_gezag_nummer="41001")
    result = do_import(ps, csv_bytes("41001;Stichting A;01AB00;School;TIEL"))
    assert "hoort bij een ander partnerschap" in result.errors[0].message
    assert not School.objects.exists()
    other.refresh_from_db()
    assert other.partnerschap != ps


def test_school_of_another_partnership_is_never_moved():
    ps = f.PartnerschapFactory()
    school = f.SchoolFactory(brin="01AB00")
    result = do_import(ps, csv_bytes("41001;Stichting A;01AB00;School;TIEL"))
    assert "ander partnerschap" in result.errors[0].message
    school.refresh_from_db()
    assert school.bestuur.partnerschap != ps


# --- the management command ---------------------------------------------------------------


def test_command_imports_twice_with_the_same_result():
    ps = f.PartnerschapFactory(name="Opleiden Rivierenland")
    out = StringIO()
    call_command(
        "import_scholen", str(SAMPLE), "--partnerschap", "opleiden rivierenland", stdout=out
    )
    assert "Scholen: 10 nieuw, 0 bijgewerkt, 0 ongewijzigd" in out.getvalue()
    out = StringIO()
    call_command("import_scholen", str(SAMPLE), "--partnerschap", str(ps.pk), stdout=out)
    assert "Besturen: 0 nieuw, 0 bijgewerkt, 4 ongewijzigd" in out.getvalue()
    assert "Scholen: 0 nieuw, 0 bijgewerkt, 10 ongewijzigd" in out.getvalue()


def test_command_dry_run_stores_nothing():
    f.PartnerschapFactory()
    out = StringIO()
    call_command("import_scholen", str(SAMPLE), "--dry-run", stdout=out)
    assert "Proefdraai" in out.getvalue()
    assert not School.objects.exists()


def test_command_reports_bad_rows_on_stderr(tmp_path):
    f.PartnerschapFactory()
    path = tmp_path / "scholen.csv"
    path.write_bytes(csv_bytes("41001;A;01AB00;School;TIEL", "41001;A;kapot;School;TIEL"))
    out, err = StringIO(), StringIO()
    call_command("import_scholen", str(path), stdout=out, stderr=err)
    assert "regel 3:" in err.getvalue()
    assert School.objects.count() == 1


def test_command_needs_a_partnership_when_there_are_several():
    f.PartnerschapFactory()
    f.PartnerschapFactory()
    with pytest.raises(CommandError, match="--partnerschap"):
        call_command("import_scholen", str(SAMPLE))
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import_scholen", str(SAMPLE), "--partnerschap", "Nergens")


# --- the coordinator's page -----------------------------------------------------------------


def upload(data: bytes = b"", name: str = "scholen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or SAMPLE.read_bytes(), content_type="text/csv")


def import_url(cast) -> str:
    return reverse("scholen:import", args=[cast.traject.school.bestuur.partnerschap.pk])


def test_coordinator_sees_the_page_with_the_expected_columns(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(import_url(cast))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Scholen en besturen importeren" in page
    assert "BEVOEGD GEZAG NUMMER" in page
    assert "VESTIGINGSNUMMER" in page


def test_coordinator_start_url_leads_to_own_partnership(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(reverse("scholen:import_start"))
    assert response["Location"] == import_url(cast)


def test_coordinator_of_several_partnerships_chooses(client, cast):
    other = f.PartnerschapFactory(name="Tweede partnerschap")
    other.coordinatoren.add(cast.coordinator)
    client.force_login(cast.coordinator)
    page = client.get(reverse("scholen:import_start")).content.decode()
    assert "Tweede partnerschap" in page
    assert reverse("scholen:import", args=[other.pk]) in page


def test_coordinator_uploads_and_sees_counts_then_everything_unchanged(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(import_url(cast), {"bestand": upload()})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.scholen.created == 10 and not result.dry_run
    assert "Resultaat van de import" in response.content.decode()
    response = client.post(import_url(cast), {"bestand": upload()})
    result = response.context["result"]
    assert (result.scholen.unchanged, result.besturen.unchanged) == (10, 4)
    assert "er is niets veranderd" in response.content.decode()
    assert AuditEvent.objects.filter(action="scholen.import", actor=cast.coordinator).count() == 1


def test_new_boards_go_into_the_coordinators_partnership(client, cast):
    client.force_login(cast.coordinator)
    client.post(import_url(cast), {"bestand": upload()})
    bestuur = Schoolbestuur.objects.get(bevoegd_gezag_nummer="41004")
    assert bestuur.partnerschap == cast.traject.school.bestuur.partnerschap


def test_dry_run_on_the_page_stores_nothing(client, cast):
    client.force_login(cast.coordinator)
    before = School.objects.count()
    response = client.post(import_url(cast), {"bestand": upload(), "dry_run": "on"})
    assert response.context["result"].dry_run
    assert "proefdraai" in response.content.decode()
    assert School.objects.count() == before


def test_page_lists_row_errors(client, cast):
    client.force_login(cast.coordinator)
    data = csv_bytes("41001;A;01AB00;School;TIEL", "41001;A;kapot;School;TIEL")
    page = client.post(import_url(cast), {"bestand": upload(data)}).content.decode()
    assert "1 regel niet geïmporteerd" in page
    assert "<td>3</td>" in page


def test_page_refuses_a_file_without_the_columns_next_to_the_field(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(import_url(cast), {"bestand": upload(b"NAAM;PLAATS\nx;y\n")})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "mist deze kolommen" in response.context["form"].errors["bestand"][0]


def test_page_refuses_a_spreadsheet(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(import_url(cast), {"bestand": upload(b"PK\x03\x04", "scholen.xlsx")})
    assert "CSV-bestand" in response.context["form"].errors["bestand"][0]


@pytest.mark.parametrize(
    "who", ["zij_instromer", "coach", "slb", "duo", "schoolleider", "outsider", "other_coach"]
)
def test_everyone_but_the_coordinator_gets_404(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(import_url(cast)).status_code == 404
    assert client.post(import_url(cast), {"bestand": upload()}).status_code == 404
    assert client.get(reverse("scholen:import_start")).status_code == 404
    assert not School.objects.filter(brin="05JK00").exists()


def test_coordinator_of_another_partnership_gets_404(client, cast):
    stranger = f.UserFactory()
    f.PartnerschapFactory().coordinatoren.add(stranger)
    client.force_login(stranger)
    assert client.get(import_url(cast)).status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(import_url(cast))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
