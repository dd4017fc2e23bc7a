"""Retention: working material goes after two years, Proeve records after seven."""

import datetime
import os

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command

from bekwaamheid.models import Bewijsstuk, Feedback, Onderzoeksopdracht, Proeve
from gesprekken.models import Gesprek, Verslag
from portal.models import AuditEvent
from portal.retention import purge_expired
from tests import factories as f
from trajecten.models import Logboekregel, Traject

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 6, 1)


def finished_traject(years_ago: int, status=Traject.Status.AFGEROND) -> dict:
    end = TODAY - datetime.timedelta(days=365 * years_ago + 30)
    traject = f.TrajectFactory(
        start_date=end - datetime.timedelta(days=700), end_date=end, status=status
    )
    log = f.LogboekregelFactory(traject=traject)
    log.bijlage.save("les.pdf", ContentFile(f.TINY_PDF), save=True)
    gesprek = f.GesprekFactory(traject=traject, planned_for=end - datetime.timedelta(days=90))
    verslag = f.VerslagFactory(gesprek=gesprek)
    f.AfspraakFactory(verslag=verslag)
    f.sign_all(verslag)
    werk = f.OnderzoeksopdrachtFactory(dossier=f.DossierFactory(traject=traject))
    loose = f.BewijsstukFactory(onderzoeksopdracht=werk)
    judged_work = f.OnderzoeksopdrachtFactory(dossier=werk.dossier)
    judged = f.BewijsstukFactory(onderzoeksopdracht=judged_work)
    first = f.FeedbackFactory(onderzoeksopdracht=werk)
    f.FeedbackFactory(onderzoeksopdracht=werk, antwoord_op=first)
    proeve = f.ProeveFactory(dossier=werk.dossier)
    proeve.bewijsstukken.add(judged)
    return {
        "traject": traject,
        "log": log,
        "loose": loose,
        "judged": judged,
        "proeve": proeve,
        "werk": werk,
    }


def stored(fieldfile) -> bool:
    return os.path.exists(os.path.join(settings.MEDIA_ROOT, fieldfile.name))


def test_working_material_goes_after_two_years_proeve_stays(django_capture_on_commit_callbacks):
    old = finished_traject(years_ago=3)
    active = f.LogboekregelFactory()  # a running traject: untouched
    log_file = old["log"].bijlage
    assert stored(log_file)
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_expired(today=TODAY)
    assert report.trajecten_working == [old["traject"].pk]
    assert not Logboekregel.objects.filter(traject=old["traject"]).exists()
    assert not Gesprek.objects.filter(traject=old["traject"]).exists()
    assert not Verslag.objects.filter(gesprek__traject=old["traject"]).exists()
    assert not Bewijsstuk.objects.filter(pk=old["loose"].pk).exists()
    assert not Onderzoeksopdracht.objects.filter(pk=old["werk"].pk).exists()
    assert not Feedback.objects.filter(onderzoeksopdracht=old["werk"]).exists()
    assert not stored(log_file)
    # the exam record and the evidence it judged stay
    assert Proeve.objects.filter(pk=old["proeve"].pk).exists()
    assert Bewijsstuk.objects.filter(pk=old["judged"].pk).exists()
    assert Traject.objects.filter(pk=old["traject"].pk).exists()
    assert Logboekregel.objects.filter(pk=active.pk).exists()
    assert AuditEvent.objects.filter(action="retention.purge").count() == 1


def test_records_go_after_seven_years(django_capture_on_commit_callbacks):
    old = finished_traject(years_ago=8)
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_expired(today=TODAY)
    assert report.trajecten_records == [old["traject"].pk]
    assert not Traject.objects.filter(pk=old["traject"].pk).exists()
    assert not Proeve.objects.filter(pk=old["proeve"].pk).exists()
    assert not stored(old["judged"].bestand)


def test_recent_and_running_trajecten_are_kept():
    recent = finished_traject(years_ago=1)
    report = purge_expired(today=TODAY)
    assert report.trajecten_working == [] and report.trajecten_records == []
    assert Logboekregel.objects.filter(pk=recent["log"].pk).exists()


def test_dry_run_changes_nothing(django_capture_on_commit_callbacks):
    old = finished_traject(years_ago=8)
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_expired(today=TODAY, dry_run=True)
    assert report.trajecten_records == [old["traject"].pk]
    assert report.records["trajecten.Logboekregel"] == 1
    assert Traject.objects.filter(pk=old["traject"].pk).exists()
    assert stored(old["log"].bijlage)
    assert not AuditEvent.objects.filter(action="retention.purge").exists()


def test_command_reports_in_dry_run(capsys, time_machine):
    time_machine.move_to(datetime.datetime(2030, 6, 1, 12, tzinfo=datetime.UTC))
    finished_traject(years_ago=3)
    call_command("purge_expired", "--dry-run")
    out = capsys.readouterr().out
    assert "Would remove working material of 1 trajecten" in out
    assert Logboekregel.objects.count() == 1
