"""Flow: a side-entrant adds evidence (a real PDF uploaded in the browser) to a research
assignment and asks the coach for feedback; the coach sees the request and answers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def small_pdf() -> bytes:
    """A minimal, valid one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def open_assignment(demo):
    """zijinstromer1's research assignment that is still a concept (evidence can be added)."""
    from bekwaamheid.models import Onderzoeksopdracht

    work = (
        Onderzoeksopdracht.objects.filter(dossier__traject_id=demo.traject(1), status="concept")
        .order_by("pk")
        .first()
    )
    assert work is not None, "the demo has no concept research assignment for zijinstromer1"
    return work


def test_side_entrant_adds_a_pdf_and_the_coach_answers_the_feedback_request(browse, demo, tmp_path):
    page = browse.page
    work = open_assignment(demo)
    pdf = tmp_path / "lesplan-drieslag.pdf"
    pdf.write_bytes(small_pdf())

    browse.login("zijinstromer1@lev.test")
    browse.goto(demo.url("/bekwaamheid/traject/{t1}/"))
    with browse.loads():
        page.get_by_role("link", name=work.opdracht.titel).first.click()

    # Evidence: a PDF made in this test, uploaded through the form.
    page.get_by_label("Titel").fill("Lesplan drieslag groep 5")
    page.get_by_label("Bij succescriterium").select_option(
        label="Elke leerling werkt aan een verwerking op het eigen niveau."
    )
    page.get_by_label("Bestand").set_input_files(str(pdf))
    with browse.loads():
        page.get_by_role("button", name="Bewijsstuk toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("Bewijsstuk toegevoegd")
    evidence = page.get_by_role("link", name=re.compile("Lesplan drieslag groep 5"))
    expect(evidence).to_be_visible()

    # The stored file is the uploaded PDF, and the owner can download it again.
    with page.expect_download() as download_info:
        evidence.click()
    downloaded = download_info.value.path().read_bytes()
    assert downloaded == small_pdf()

    # Ask the coach for feedback.
    page.get_by_text("Feedback vragen", exact=True).first.click()  # opens the <details>
    page.get_by_label(re.compile("Marieke van den Berg")).check()
    page.get_by_label("Je vraag").fill("Zijn de drie niveaus in de verwerking duidelijk genoeg?")
    with browse.loads():
        page.get_by_role("button", name="Feedback vragen").last.click()
    expect(page.get_by_role("status")).to_contain_text("Je feedbackvraag is verstuurd")
    expect(page.get_by_role("main")).to_contain_text("Marieke van den Berg")

    # The coach sees the request in the notifications and answers it.
    page.context.clear_cookies()
    browse.login("coach1@lev.test")
    browse.goto("/meldingen/")
    expect(
        page.get_by_role("main")
        .get_by_text("Sanne de Vries vraagt je om feedback op een onderzoeksopdracht.")
        .first
    ).to_be_visible()
    browse.goto("/bekwaamheid/opdrachten/")
    asked = page.get_by_role("region", name="Feedback gevraagd van jou")
    request_link = asked.get_by_role("link", name=f"{work.opdracht.titel} – Sanne de Vries")
    with browse.loads():
        request_link.click()
    assert page.url.split("#")[0].endswith(f"/bekwaamheid/werk/{work.pk}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Lesplan drieslag groep 5")
    expect(main.get_by_text("open", exact=True)).to_be_visible()  # the request is open
    # The coach should be able to read what was asked. Checked here, reported at the end
    # (pytest.xfail stops the test; the rest of the flow must still run).
    question_shown = "Zijn de drie niveaus in de verwerking duidelijk genoeg?" in main.inner_text()
    page.get_by_label("Bericht").last.fill("Ja: de verwerking per niveau staat helder in je plan.")
    with browse.loads():
        page.get_by_role("button", name="Feedback geven").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Ja: de verwerking per niveau staat helder in je plan."
    )
    expect(page.get_by_role("main").get_by_text("beantwoord", exact=True)).to_be_visible()

    from bekwaamheid.models import Feedbackverzoek

    verzoek = Feedbackverzoek.objects.filter(onderzoeksopdracht=work).order_by("-pk").first()
    assert verzoek.gevraagd_aan.email == "coach1@lev.test"
    assert verzoek.beantwoord_at is not None

    # The coach reads what was asked on the assignment page (not only in the mail).
    assert question_shown
