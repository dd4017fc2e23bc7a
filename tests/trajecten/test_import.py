"""Import of new side-entrants from CSV: every row checked, all or nothing, idempotent."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEvent, Mail, User
from tests import factories as f
from trajecten import hooks
from trajecten.importer import trajecten_import
from trajecten.models import Roltoewijzing, Traject

pytestmark = pytest.mark.django_db
HEADER = "voornaam;achternaam;email;school;route;startdatum;einddatum;coach_email;slb_email"


@pytest.fixture
def world(cast):
    cast.traject.school.brin = "01AB00"
    cast.traject.school.name = "De Regenboog"
    cast.traject.school.save(update_fields=["brin", "name"])
    f.UserFactory(email="coach@example.test")
    f.UserFactory(email="slb@example.test")
    return cast


def csv_bytes(*rows, header=HEADER, delimiter=";", encoding="utf-8"):
    lines = [header.replace(";", delimiter)] + [r.replace(";", delimiter) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOD = [
    "Sanne;de Vries;sanne@example.test;01AB00;zib;01-09-2026;;coach@example.test;slb@example.test",
    "Mo;El Amrani;mo@example.test;De Regenboog;versneld;2026-09-01;31-08-2027;;",
]


def run(world, content):
    return trajecten_import(
        content=content,
        partnerschappen=world.coordinator.coordinator_van.all(),
        door=world.coordinator,
    )


@pytest.fixture
def started():
    calls = []
    hooks.on_traject_started("test-import", lambda t: calls.append(t.pk))
    yield calls
    hooks._started.pop("test-import")


def test_a_valid_file_creates_accounts_trajecten_and_invitations(world, started):
    result = run(world, csv_bytes(*GOOD))
    assert result.imported and result.valid
    sanne = User.objects.get(email="sanne@example.test")
    traject = Traject.objects.get(zij_instromer=sanne)
    assert traject.school == world.traject.school and traject.route == "zib"
    assert traject.start_date == datetime.date(2026, 9, 1)
    assert traject.end_date == datetime.date(2028, 8, 31)  # two years minus a day
    assert traject.status == Traject.Status.INTAKE
    assert traject.coach.email == "coach@example.test" and traject.slb.email == "slb@example.test"
    assert set(Roltoewijzing.objects.filter(traject=traject).values_list("rol", flat=True)) == {
        "coach",
        "slb",
    }
    mo = Traject.objects.get(zij_instromer__email="mo@example.test")
    assert mo.end_date == datetime.date(2027, 8, 31) and mo.coach is None
    assert not sanne.has_usable_password()
    assert Mail.objects.filter(to="sanne@example.test", kind="uitnodiging").exists()
    assert sorted(started) == sorted([traject.pk, mo.pk])
    assert AuditEvent.objects.filter(action="traject.import").count() == 2


def test_importing_the_same_file_twice_creates_nothing_new(world, started):
    run(world, csv_bytes(*GOOD))
    counts = (User.objects.count(), Traject.objects.count(), Mail.objects.count())
    result = run(world, csv_bytes(*GOOD))
    assert result.imported and len(result.skipped) == 2 and not result.created
    assert (User.objects.count(), Traject.objects.count(), Mail.objects.count()) == counts
    assert len(started) == 2


def test_one_bad_row_imports_nothing_and_names_each_rows_errors(world):
    result = run(
        world,
        csv_bytes(
            GOOD[0],
            "Piet;Jansen;geen-adres;99XX99;bus;31-02-2026;;onbekend@example.test;",
            "Anna;Smit;anna@example.test;01AB00;zib;01-09-2026;01-09-2028;;",
            "Bert;Bos;bert@example.test;01AB00;zib;01-09-2026;01-08-2026;;",
        ),
    )
    assert not result.imported
    assert not User.objects.filter(email="sanne@example.test").exists()
    assert not Mail.objects.exists()
    by_line = {r.line: r.errors for r in result.rows}
    assert by_line[2] == []
    joined = " ".join(by_line[3])
    assert "“geen-adres” is geen geldig e-mailadres." in joined
    assert "School “99XX99” is niet bekend in je partnerschap." in joined
    assert "Route “bus” is onbekend" in joined
    assert "Startdatum “31-02-2026” is geen datum" in joined
    assert "Er is geen (actief) account met e-mailadres onbekend@example.test." in joined
    assert any("meer dan twee jaar" in e for e in by_line[4])
    assert any("niet na de startdatum" in e for e in by_line[5])


def test_a_school_outside_the_coordinators_partnership_is_unknown(world):
    other = f.SchoolFactory(brin="77ZZ00")
    result = run(
        world, csv_bytes(f"Sanne;de Vries;sanne@example.test;{other.brin};zib;01-09-2026;;;")
    )
    assert not result.imported
    assert "niet bekend in je partnerschap" in result.rows[0].errors[0]


def test_a_wrong_header_is_refused_before_any_row(world):
    result = run(world, csv_bytes(GOOD[0], header="naam;mail;school;route;start"))
    assert not result.imported and not result.rows
    text = " ".join(result.errors)
    assert "Onbekende kolommen" in text and "ontbreken" in text and "voornaam" in text


def test_duplicate_email_in_the_file_is_an_error(world):
    result = run(world, csv_bytes(GOOD[0], GOOD[0].replace("Sanne", "Sanna")))
    assert not result.imported
    assert "Dit e-mailadres staat ook op regel 2." in result.rows[1].errors


def test_existing_account_with_another_name_is_an_error(world):
    f.UserFactory(email="sanne@example.test", first_name="Iemand", last_name="Anders")
    result = run(world, csv_bytes(GOOD[0]))
    assert not result.imported
    assert "hoort bij een account met een andere naam" in result.rows[0].errors[0]


def test_side_entrant_with_a_running_traject_is_an_error(world):
    result = run(
        world,
        csv_bytes(
            f"{world.zij_instromer.first_name};{world.zij_instromer.last_name};"
            f"{world.zij_instromer.email};01AB00;zib;01-09-2026;;;"
        ),
    )
    assert not result.imported
    assert "heeft al een lopend traject" in result.rows[0].errors[0]


@pytest.mark.parametrize(
    "delimiter, encoding, bom",
    [
        (";", "utf-8", True),
        (",", "utf-8", False),
        (";", "cp1252", False),
    ],
)
def test_bom_delimiters_and_windows_encoding_are_read(world, delimiter, encoding, bom):
    content = csv_bytes(
        "Zoë;Ünal;zoe@example.test;01AB00;ZIB;1-9-2026;;;", delimiter=delimiter, encoding=encoding
    )
    if bom:
        content = b"\xef\xbb\xbf" + content
    result = run(world, content)
    assert result.imported, [r.errors for r in result.rows] + result.errors
    assert User.objects.get(email="zoe@example.test").first_name == "Zoë"


def test_a_binary_file_is_refused(world):
    result = run(world, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not result.imported and "geen CSV-bestand" in result.errors[0]


def test_an_empty_file_is_refused(world):
    result = run(world, HEADER.encode())
    assert not result.imported and "geen regels" in result.errors[0]


# --- views ------------------------------------------------------------------------------------


def upload(content, name="nieuw.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_coordinator_imports_in_the_browser_and_sees_the_result(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("trajecten:import")).content.decode()
    assert "coach_email" in page and "startdatum" in page  # the columns are documented
    response = client.post(reverse("trajecten:import"), {"bestand": upload(csv_bytes(*GOOD))})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 zij-instromers geïmporteerd; nieuwe accounts kregen een uitnodiging" in page
    assert Traject.objects.filter(zij_instromer__email="mo@example.test").exists()
    response = client.post(reverse("trajecten:import"), {"bestand": upload(csv_bytes(*GOOD))})
    assert "Niets nieuws: alle regels van dit bestand stonden er al." in response.content.decode()


def test_the_page_shows_row_errors_and_imports_nothing(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("trajecten:import"),
        {
            "bestand": upload(
                csv_bytes(
                    GOOD[0], "Piet;Jansen;piet@example.test;Onbekende school;zib;01-09-2026;;;"
                )
            )
        },
    )
    page = response.content.decode()
    assert "Er is niets geïmporteerd" in page
    assert "School “Onbekende school” is niet bekend in je partnerschap." in page
    assert not User.objects.filter(email="sanne@example.test").exists()


def test_a_file_that_is_not_csv_by_name_is_refused_at_the_field(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("trajecten:import"), {"bestand": upload(csv_bytes(*GOOD), name="lijst.xlsx")}
    )
    assert "Kies een CSV-bestand" in response.content.decode()
    assert not User.objects.filter(email="sanne@example.test").exists()


@pytest.mark.parametrize(
    "who", ["zij_instromer", "coach", "slb", "duo", "schoolleider", "outsider"]
)
def test_only_coordinators_import(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("trajecten:import")).status_code == 403
    response = client.post(reverse("trajecten:import"), {"bestand": upload(csv_bytes(*GOOD))})
    assert response.status_code == 403
    assert not User.objects.filter(email="sanne@example.test").exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("trajecten:import"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
