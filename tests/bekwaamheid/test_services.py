"""Every service of the dossier and the Proeve, with its refusals."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from bekwaamheid import services
from bekwaamheid.models import (
    Bekwaamheidskader,
    Beoordeling,
    Bewijsstuk,
    Dossier,
    Feedbackverzoek,
    Ondertekening,
    Onderzoeksopdracht,
    Proeve,
)
from portal.models import AuditEvent, Mail, Notificatie
from tests import factories as f
from tests.bekwaamheid.helpers import (
    PNG,
    agreed,
    all_levels,
    finish_work,
    judged,
    plan,
    signed,
    submit,
)
from trajecten.models import Traject

pytestmark = pytest.mark.django_db


def sent_to() -> set[str]:
    return set(Mail.objects.values_list("to", flat=True))


# --- framework ----------------------------------------------------------------------------


def test_seeded_framework_has_indicators_in_every_area_with_four_levels():
    kader = f.active_kader()
    assert set(kader.eisen.values_list("gebied__code", flat=True)) == {
        "vakinhoudelijk",
        "vakdidactisch",
        "pedagogisch",
    }
    for eis in kader.eisen.all():
        assert eis.niveaus.count() == 4


def test_new_version_copies_and_publishing_archives_the_old_one():
    old = f.active_kader()
    new = services.kader_new_version(kader=old)
    assert new.status == Bekwaamheidskader.Status.CONCEPT
    assert new.eisen.count() == old.eisen.count()
    assert new.eisen.first().niveaus.count() == 4
    services.kader_publish(kader=new)
    old.refresh_from_db()
    assert old.status == Bekwaamheidskader.Status.GEARCHIVEERD
    assert f.active_kader() == new


def test_a_dossier_keeps_its_framework_version_when_a_new_one_is_published(cast):
    dossier = services.dossier_ensure(traject=cast.traject)
    old = dossier.kader
    new = services.kader_new_version(kader=old)
    new.eisen.filter(code="VD1").update(titel="Gewijzigd")
    services.kader_publish(kader=new)
    dossier.refresh_from_db()
    assert dossier.kader == old
    assert old.eisen.get(code="VD1").titel != "Gewijzigd"
    other = services.dossier_ensure(traject=f.TrajectFactory())
    assert other.kader == new


def test_publishing_an_active_version_is_refused():
    with pytest.raises(services.Refused):
        services.kader_publish(kader=f.active_kader())


def test_started_traject_hook_opens_a_dossier(cast):
    from trajecten import hooks

    hooks.traject_started(cast.traject)
    assert Dossier.objects.filter(traject=cast.traject).exists()


# --- assignments --------------------------------------------------------------------------


def test_opdracht_create_gives_each_side_entrant_their_own_work_and_a_mail(world):
    ps = world.partnerschap
    second = f.TrajectFactory(school=f.SchoolFactory(bestuur=world.cast.traject.school.bestuur))
    Mail.objects.all().delete()
    opdracht = services.opdracht_create(
        by=world.docent,
        partnerschap=ps,
        titel="Klassenmanagement",
        omschrijving="...",
        eisen=f.active_kader().eisen.filter(code="PE1"),
        trajecten=[world.cast.traject, second],
    )
    assert opdracht.uitwerkingen.count() == 2
    assert sent_to() == {world.cast.zij_instromer.email, second.zij_instromer.email}
    assert "Klassenmanagement" in Mail.objects.first().subject


def test_opdracht_without_people_or_indicators_is_refused(world):
    with pytest.raises(services.Refused):
        services.opdracht_create(
            by=world.docent,
            partnerschap=world.partnerschap,
            titel="x",
            omschrijving="y",
            eisen=f.active_kader().eisen.all(),
            trajecten=[],
        )
    with pytest.raises(services.Refused):
        services.opdracht_create(
            by=world.docent,
            partnerschap=world.partnerschap,
            titel="x",
            omschrijving="y",
            eisen=[],
            trajecten=[world.cast.traject],
        )


def test_criterium_update_with_stale_version_is_refused_and_changes_nothing(world):
    crit = world.criterium
    services.succescriterium_update(
        criterium=crit, by=world.cast.zij_instromer, tekst="A", reflectie="r1", version=1
    )
    with pytest.raises(services.StaleEdit):
        services.succescriterium_update(
            criterium=crit, by=world.cast.zij_instromer, tekst="B", reflectie="r2", version=1
        )
    crit.refresh_from_db()
    assert (crit.tekst, crit.reflectie, crit.version) == ("A", "r1", 2)


def test_bewijsstuk_add_stores_file_name_hash_and_size(world):
    item = world.bewijs
    assert item.bestand_naam == "lesplan.pdf"
    assert item.size == len(f.TINY_PDF)
    assert len(item.sha256) == 64
    assert "lesplan" not in item.bestand.name  # stored under a random name
    assert item.bestand.name.startswith("bekwaamheid/")


def test_bewijsstuk_needs_a_file_or_a_link_not_both(world):
    with pytest.raises(services.Refused):
        services.bewijsstuk_add(
            onderzoeksopdracht=world.work, by=world.cast.zij_instromer, titel="x"
        )
    with pytest.raises(services.Refused):
        services.bewijsstuk_add(
            onderzoeksopdracht=world.work,
            by=world.cast.zij_instromer,
            titel="x",
            link="https://example.org",
            upload=SimpleUploadedFile("a.png", PNG),
            mime="image/png",
        )


def test_link_evidence_is_stored(world):
    item = services.bewijsstuk_add(
        onderzoeksopdracht=world.work,
        by=world.cast.zij_instromer,
        titel="Video van de les",
        link="https://video.example/les",
    )
    assert item.link and not item.bestand


def test_remove_and_restore_within_thirty_days(world):
    item = services.bewijsstuk_remove(bewijsstuk=world.bewijs, by=world.cast.zij_instromer)
    assert item.removed_at is not None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        services.bewijsstuk_restore(bewijsstuk=item, by=world.cast.zij_instromer)
    item.refresh_from_db()
    assert item.removed_at is None


def test_restore_after_thirty_days_is_refused(world):
    item = services.bewijsstuk_remove(bewijsstuk=world.bewijs, by=world.cast.zij_instromer)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        with pytest.raises(services.Refused):
            services.bewijsstuk_restore(bewijsstuk=item, by=world.cast.zij_instromer)


def test_purge_deletes_file_and_row_after_thirty_days_only(
    world, django_capture_on_commit_callbacks
):
    item = services.bewijsstuk_remove(bewijsstuk=world.bewijs, by=world.cast.zij_instromer)
    storage, name = item.bestand.storage, item.bestand.name
    assert services.bewijsstuk_purge_removed(now=timezone.now() + datetime.timedelta(days=29)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        purged = services.bewijsstuk_purge_removed(now=timezone.now() + datetime.timedelta(days=31))
    assert purged == 1
    assert not Bewijsstuk.objects.filter(pk=item.pk).exists()
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(action="bewijsstuk.purge").exists()


def test_evidence_in_a_submitted_snapshot_is_never_removed_or_purged(world):
    proeve = submit(world)
    assert world.bewijs in proeve.bewijsstukken.all()
    with pytest.raises(services.Refused):
        services.bewijsstuk_remove(bewijsstuk=world.bewijs, by=world.cast.zij_instromer)
    # Even if it was marked removed some other way, the purge leaves it.
    Bewijsstuk.objects.filter(pk=world.bewijs.pk).update(
        removed_at=timezone.now() - datetime.timedelta(days=90)
    )
    assert services.bewijsstuk_purge_removed() == 0
    assert world.bewijs.bestand.storage.exists(world.bewijs.bestand.name)


def test_feedback_request_notifies_and_makes_the_work_ingediend(world):
    Mail.objects.all().delete()
    services.feedback_request(
        onderzoeksopdracht=world.work,
        by=world.cast.zij_instromer,
        people=[world.cast.coach, world.docent],
        vraag="Klopt mijn doel?",
    )
    world.work.refresh_from_db()
    assert world.work.status == Onderzoeksopdracht.Status.INGEDIEND
    assert sent_to() == {world.cast.coach.email, world.docent.email}
    assert Notificatie.objects.filter(user=world.cast.coach, kind="feedback").exists()


def test_feedback_request_to_someone_outside_the_circle_is_refused(world):
    with pytest.raises(services.Refused):
        services.feedback_request(
            onderzoeksopdracht=world.work, by=world.cast.zij_instromer, people=[world.cast.outsider]
        )
    assert not Feedbackverzoek.objects.exists()


def test_feedback_post_answers_the_request_and_threads_replies(world):
    services.feedback_request(
        onderzoeksopdracht=world.work, by=world.cast.zij_instromer, people=[world.cast.duo]
    )
    first = services.feedback_post(
        onderzoeksopdracht=world.work, by=world.cast.duo, tekst="Goed begin."
    )
    assert Feedbackverzoek.objects.get().beantwoord_at is not None
    reply = services.feedback_post(
        onderzoeksopdracht=world.work, by=world.cast.zij_instromer, tekst="Dank!", antwoord_op=first
    )
    deeper = services.feedback_post(
        onderzoeksopdracht=world.work, by=world.cast.duo, tekst="Graag.", antwoord_op=reply
    )
    assert reply.antwoord_op == first
    assert deeper.antwoord_op == first  # one level of threading
    assert Notificatie.objects.filter(user=world.cast.duo, kind="feedback").count() >= 2


def test_afronden_needs_feedback_first(world):
    with pytest.raises(services.Refused):
        services.onderzoeksopdracht_afronden(
            onderzoeksopdracht=world.work, by=world.cast.zij_instromer
        )


def test_finished_work_is_locked_for_changes(world):
    finish_work(world)
    with pytest.raises(services.Refused):
        services.succescriterium_add(
            onderzoeksopdracht=world.work, by=world.cast.zij_instromer, tekst="x"
        )
    with pytest.raises(services.Refused):
        services.bewijsstuk_add(
            onderzoeksopdracht=world.work,
            by=world.cast.zij_instromer,
            titel="x",
            link="https://example.org",
        )


def test_only_finished_work_goes_into_the_dossier(world):
    with pytest.raises(services.Refused):
        services.onderzoeksopdracht_dossier_set(
            onderzoeksopdracht=world.work, by=world.cast.zij_instromer, in_dossier=True
        )
    with pytest.raises(IntegrityError):
        Onderzoeksopdracht.objects.filter(pk=world.work.pk).update(in_dossier=True)


# --- the Proeve -----------------------------------------------------------------------------


def test_submit_freezes_a_snapshot_and_later_edits_do_not_change_it(world):
    proeve = submit(world)
    assert proeve.status == Proeve.Status.INGEDIEND
    snap = proeve.snapshot
    assert snap["traject"]["naam"] == world.cast.zij_instromer.get_full_name()
    assert snap["opdrachten"][0]["titel"] == "Instructie en leerdoelen"
    assert snap["opdrachten"][0]["bewijs"][0]["id"] == world.bewijs.pk
    assert snap["opdrachten"][0]["feedback"][0]["tekst"] == "Goed lesdoel op het bord."
    before = dict(snap)
    # Later edits to the live dossier.
    world.criterium.refresh_from_db()
    world.criterium.__class__.objects.filter(pk=world.criterium.pk).update(tekst="Veranderd")
    services.feedback_post(onderzoeksopdracht=world.work, by=world.cast.coach, tekst="Later")
    proeve.refresh_from_db()
    assert proeve.snapshot == before
    assert "Veranderd" not in str(proeve.snapshot)


def test_submitting_again_while_running_is_refused_and_changes_nothing(world):
    proeve = submit(world)
    digest = proeve.snapshot_hash
    with pytest.raises(services.Refused):
        services.dossier_submit(dossier=world.work.dossier, by=world.cast.zij_instromer)
    proeve.refresh_from_db()
    assert proeve.snapshot_hash == digest
    assert Proeve.objects.count() == 1


def test_submit_without_chosen_work_is_refused(world):
    with pytest.raises(services.Refused):
        services.dossier_submit(dossier=world.work.dossier, by=world.cast.zij_instromer)


def test_submit_tells_the_coordinator(world):
    Mail.objects.all().delete()
    submit(world)
    assert world.cast.coordinator.email in sent_to()


def test_plan_needs_two_different_assessors_from_the_pool(world):
    proeve = submit(world)
    kwargs = dict(
        proeve=proeve,
        by=world.cast.coordinator,
        datum=timezone.now(),
        locatie="",
        version=proeve.version,
    )
    with pytest.raises(services.Refused):
        services.proeve_plan(veldassessor=world.veld, opleidingsassessor=world.veld, **kwargs)
    with pytest.raises(services.Refused):
        services.proeve_plan(
            veldassessor=world.veld, opleidingsassessor=world.cast.outsider, **kwargs
        )
    proeve.refresh_from_db()
    assert proeve.status == Proeve.Status.INGEDIEND and proeve.veldassessor is None
    with pytest.raises(IntegrityError):
        Proeve.objects.filter(pk=proeve.pk).update(
            veldassessor=world.veld, opleidingsassessor=world.veld
        )


def test_plan_notifies_both_assessors_and_the_side_entrant(world):
    proeve = submit(world)
    Mail.objects.all().delete()
    proeve = plan(world, proeve)
    assert proeve.status == Proeve.Status.GEPLAND
    assert sent_to() == {world.veld.email, world.opleiding.email, world.cast.zij_instromer.email}


def test_stale_plan_is_refused(world):
    proeve = submit(world)
    plan(world, proeve)
    with pytest.raises(services.StaleEdit):
        plan(world, proeve)  # still holds the old version


def test_judgement_of_a_proeve_not_theirs_is_refused(world):
    proeve = plan(world, submit(world))
    with pytest.raises(services.Refused):
        services.beoordeling_save(
            proeve=proeve, by=world.other_assessor, regels=all_levels(proeve), record=True
        )
    assert not Beoordeling.objects.exists()


def test_a_draft_may_be_partial_but_recording_needs_every_indicator(world):
    proeve = plan(world, submit(world))
    regels = all_levels(proeve)
    first = next(iter(regels))
    partial = {first: regels[first]}
    draft = services.beoordeling_save(proeve=proeve, by=world.veld, regels=partial)
    assert draft.recorded_at is None and draft.regels.count() == 1
    with pytest.raises(services.Refused):
        services.beoordeling_save(
            proeve=proeve, by=world.veld, regels=partial, record=True, version=draft.version
        )


def test_a_recorded_judgement_is_final(world):
    proeve = plan(world, submit(world))
    services.beoordeling_save(proeve=proeve, by=world.veld, regels=all_levels(proeve), record=True)
    with pytest.raises(services.Refused):
        services.beoordeling_save(
            proeve=proeve, by=world.veld, regels=all_levels(proeve, niveau=1), record=True
        )
    assert set(Beoordeling.objects.get().regels.values_list("niveau", flat=True)) == {3}


def test_joint_oordeel_waits_for_both_judgements(world):
    proeve = plan(world, submit(world))
    services.beoordeling_save(proeve=proeve, by=world.veld, regels=all_levels(proeve), record=True)
    with pytest.raises(services.Refused):
        agreed(world, proeve)
    services.beoordeling_save(
        proeve=proeve, by=world.opleiding, regels=all_levels(proeve), record=True
    )
    assert agreed(world, proeve).uitslag == "voldoende"


def test_replanning_after_a_recorded_judgement_is_refused(world):
    proeve = plan(world, submit(world))
    services.beoordeling_save(proeve=proeve, by=world.veld, regels=all_levels(proeve), record=True)
    proeve.refresh_from_db()
    with pytest.raises(services.Refused):
        plan(world, proeve)


def test_both_signatures_lock_the_oordeel_and_finish_the_proeve(
    world, django_capture_on_commit_callbacks
):
    proeve = judged(world, plan(world, submit(world)))
    oordeel = agreed(world, proeve)
    services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    oordeel.refresh_from_db()
    assert not oordeel.is_locked
    with pytest.raises(services.Refused):  # signed once: no more edits
        services.oordeel_save(
            proeve=proeve,
            by=world.opleiding,
            uitslag="onvoldoende",
            motivatie="x",
            regels=all_levels(proeve),
            version=oordeel.version,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.oordeel_sign(oordeel=oordeel, by=world.opleiding, version=oordeel.version)
    oordeel.refresh_from_db()
    proeve.refresh_from_db()
    assert oordeel.is_locked
    assert proeve.status == Proeve.Status.AFGEROND and proeve.uitslag == "voldoende"
    assert proeve.pdf_status == Proeve.PdfStatus.KLAAR  # rendered after commit (eager)
    assert AuditEvent.objects.filter(action="oordeel.sign").count() == 2


def test_a_second_signature_by_the_same_assessor_or_on_a_locked_oordeel_is_refused(world):
    proeve = judged(world, plan(world, submit(world)))
    oordeel = agreed(world, proeve)
    services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    with pytest.raises(services.Refused):
        services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    services.oordeel_sign(oordeel=oordeel, by=world.opleiding, version=oordeel.version)
    for who in (world.veld, world.opleiding):
        with pytest.raises(services.Refused):
            services.oordeel_sign(oordeel=oordeel, by=who, version=oordeel.version)
    assert Ondertekening.objects.count() == 2


def test_withdrawing_a_signature_reopens_the_oordeel_for_changes(world):
    proeve = judged(world, plan(world, submit(world)))
    oordeel = agreed(world, proeve)
    services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    services.oordeel_sign_withdraw(oordeel=oordeel, by=world.veld)
    changed = services.oordeel_save(
        proeve=proeve,
        by=world.opleiding,
        uitslag="onvoldoende",
        motivatie="Toch niet.",
        regels=all_levels(proeve, 2),
        version=oordeel.version,
    )
    assert changed.version == oordeel.version + 1


def test_a_signature_on_an_older_version_of_the_text_is_refused(world):
    proeve = judged(world, plan(world, submit(world)))
    oordeel = agreed(world, proeve)
    with pytest.raises(services.StaleEdit):
        services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version - 1)


def test_onvoldoende_opens_a_herkansing_that_takes_a_new_snapshot(world):
    proeve = signed(world, judged(world, plan(world, submit(world))), uitslag="onvoldoende")
    herkansing = Proeve.objects.get(herkansing_van=proeve)
    assert herkansing.status == Proeve.Status.OPEN and herkansing.poging == 2
    resubmitted = services.dossier_submit(dossier=world.work.dossier, by=world.cast.zij_instromer)
    assert resubmitted == herkansing
    resubmitted.refresh_from_db()
    assert resubmitted.status == Proeve.Status.INGEDIEND and resubmitted.snapshot


def test_after_a_voldoende_no_new_submission(world):
    signed(world, judged(world, plan(world, submit(world))))
    with pytest.raises(services.Refused):
        services.dossier_submit(dossier=world.work.dossier, by=world.cast.zij_instromer)


def test_addendum_only_on_a_locked_oordeel_and_the_oordeel_stays(world):
    proeve = judged(world, plan(world, submit(world)))
    oordeel = agreed(world, proeve)
    with pytest.raises(services.Refused):
        services.oordeel_addendum_add(oordeel=oordeel, by=world.veld, tekst="Correctie")
    services.oordeel_sign(oordeel=oordeel, by=world.veld, version=oordeel.version)
    services.oordeel_sign(oordeel=oordeel, by=world.opleiding, version=oordeel.version)
    before = (oordeel.uitslag, oordeel.motivatie)
    services.oordeel_addendum_add(oordeel=oordeel, by=world.veld, tekst="Typfout in PE1.")
    oordeel.refresh_from_db()
    assert (oordeel.uitslag, oordeel.motivatie) == before
    assert oordeel.addenda.get().tekst == "Typfout in PE1."


def test_coordinator_finishes_the_traject_only_after_a_voldoende(world):
    proeve = judged(world, plan(world, submit(world)))
    with pytest.raises(services.Refused):
        services.proeve_traject_afronden(proeve=proeve, by=world.cast.coordinator)
    proeve = signed(world, proeve)
    services.proeve_traject_afronden(proeve=proeve, by=world.cast.coordinator)
    world.cast.traject.refresh_from_db()
    assert world.cast.traject.status == Traject.Status.AFGEROND
