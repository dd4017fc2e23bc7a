"""Retention (AVG): working material goes a set time after a traject ends, the Proeve records
later.

- Working material (logboek, intake report, scholingsplan, conversations with their
  preparations, private notes and reports, research assignments with evidence and feedback)
  is removed LEV_RETENTION_WORKING_YEARS (default 2) after the traject ended.
- The Proeve van bekwaamheid (snapshot, evidence it references, judgements, the joint oordeel,
  signatures, addenda, the PDF) is removed LEV_RETENTION_RECORDS_YEARS (default 7) after the
  end; then the traject itself goes.

A traject "ended" when it is afgerond or gestopt; the reference date is its end date, or for a
traject stopped early, the day it was stopped (its last change). Stored files are deleted only
after the database transaction commits; `dry_run` rolls everything back and deletes nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from . import audit


class _DryRun(Exception):
    pass


@dataclass
class PurgeReport:
    working: Counter = field(default_factory=Counter)
    records: Counter = field(default_factory=Counter)
    trajecten_working: list[int] = field(default_factory=list)
    trajecten_records: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def ended_before(cutoff: datetime.date):
    """Trajecten that ended before `cutoff`."""
    from trajecten.models import Traject

    ended = [Traject.Status.AFGEROND, Traject.Status.GESTOPT]
    return Traject.objects.filter(status__in=ended).filter(
        Q(end_date__lt=cutoff) | Q(status=Traject.Status.GESTOPT, updated_at__date__lt=cutoff)
    )


def _delete(qs, counter: Counter, files: list[str], label: str | None = None) -> None:
    """Delete the rows of `qs`, remembering their stored files for deletion after commit."""
    model = qs.model
    file_fields = [f.name for f in model._meta.fields if isinstance(f, models.FileField)]
    if file_fields:
        for row in qs.only("pk", *file_fields):
            for name in file_fields:
                stored = getattr(row, name)
                if stored and stored.name:
                    files.append(stored.name)
    deleted, per_model = qs.delete()
    for key, count in per_model.items():
        if count:
            counter[key] += count


def _purge_working(traject_id: int, counter: Counter, files: list[str]) -> None:
    from bekwaamheid.models import (
        Bewijsstuk,
        Feedback,
        Feedbackverzoek,
        Onderzoeksopdracht,
        Succescriterium,
    )
    from gesprekken.models import (
        Addendum,
        Afspraak,
        Gesprek,
        Handtekening,
        Signaal,
        Verslag,
    )
    from trajecten.models import (
        Activiteit,
        Geschiktheidsonderzoek,
        Instemming,
        Logboekregel,
        LogboekregelVersie,
        Ontwikkelpunt,
        Planopmerking,
        Roltoewijzing,
        Scholingsplan,
        Scholingsplanversie,
    )

    t = {"traject_id": traject_id}
    # Conversations: reports and what hangs beneath them, then the conversations (their
    # preparations, private notes and reminders go with them).
    verslagen = Verslag.objects.filter(gesprek__traject_id=traject_id)
    for model in (Handtekening, Afspraak, Signaal, Addendum):
        _delete(model.objects.filter(verslag__in=verslagen), counter, files)
    _delete(verslagen, counter, files)
    _delete(Gesprek.objects.filter(**t), counter, files)
    # Research assignments, except the evidence (and its assignment) that a Proeve
    # references: that is part of the exam record and stays with it.
    kept_evidence = Bewijsstuk.objects.filter(
        onderzoeksopdracht__dossier__traject_id=traject_id, proeven__isnull=False
    )
    werk = Onderzoeksopdracht.objects.filter(dossier__traject_id=traject_id)
    while True:  # replies point at their parent with PROTECT: remove the leaves first
        leaves = Feedback.objects.filter(onderzoeksopdracht__in=werk, antwoorden__isnull=True)
        if not leaves.exists():
            break
        _delete(leaves, counter, files)
    _delete(Feedbackverzoek.objects.filter(onderzoeksopdracht__in=werk), counter, files)
    _delete(
        Bewijsstuk.objects.filter(onderzoeksopdracht__in=werk).exclude(pk__in=kept_evidence),
        counter,
        files,
    )
    loose = werk.exclude(bewijsstukken__in=kept_evidence)
    _delete(Succescriterium.objects.filter(onderzoeksopdracht__in=loose), counter, files)
    _delete(loose, counter, files)
    # The training plan, the intake, the log, the development points, the role history.
    versies = Scholingsplanversie.objects.filter(plan__traject_id=traject_id)
    for model in (Instemming, Planopmerking, Activiteit):
        _delete(model.objects.filter(versie__in=versies), counter, files)
    _delete(versies, counter, files)
    _delete(Scholingsplan.objects.filter(**t), counter, files)
    _delete(LogboekregelVersie.objects.filter(regel__traject_id=traject_id), counter, files)
    _delete(Logboekregel.objects.filter(**t), counter, files)
    _delete(Geschiktheidsonderzoek.objects.filter(**t), counter, files)
    _delete(Ontwikkelpunt.objects.filter(**t), counter, files)
    _delete(Roltoewijzing.objects.filter(**t), counter, files)


def _purge_records(traject_id: int, counter: Counter, files: list[str]) -> None:
    from bekwaamheid.models import (
        Beoordeling,
        Bewijsstuk,
        Dossier,
        Ondertekening,
        Onderzoeksopdracht,
        Oordeel,
        OordeelAddendum,
        Proeve,
        Succescriterium,
    )
    from trajecten.models import Traject

    _purge_working(traject_id, counter, files)
    proeven = Proeve.objects.filter(dossier__traject_id=traject_id)
    oordelen = Oordeel.objects.filter(proeve__in=proeven)
    for model in (OordeelAddendum, Ondertekening):
        _delete(model.objects.filter(oordeel__in=oordelen), counter, files)
    _delete(oordelen, counter, files)
    _delete(Beoordeling.objects.filter(proeve__in=proeven), counter, files)
    while True:  # a herkansing points at the Proeve before it: newest first
        last = proeven.filter(herkansing__isnull=True)
        if not last.exists():
            break
        _delete(last, counter, files)
    werk = Onderzoeksopdracht.objects.filter(dossier__traject_id=traject_id)
    _delete(Bewijsstuk.objects.filter(onderzoeksopdracht__in=werk), counter, files)
    _delete(Succescriterium.objects.filter(onderzoeksopdracht__in=werk), counter, files)
    _delete(werk, counter, files)
    _delete(Dossier.objects.filter(traject_id=traject_id), counter, files)
    _delete(Traject.objects.filter(pk=traject_id), counter, files)


def purge_expired(
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    working_years: int | None = None,
    records_years: int | None = None,
) -> PurgeReport:
    """Remove what has passed its retention period. With `dry_run`, report what would go."""
    today = today or timezone.localdate()
    working_years = working_years or settings.LEV_RETENTION_WORKING_YEARS
    records_years = records_years or settings.LEV_RETENTION_RECORDS_YEARS
    report = PurgeReport()
    records_ids = list(
        ended_before(_years_before(today, records_years)).values_list("pk", flat=True)
    )
    working_ids = list(
        ended_before(_years_before(today, working_years))
        .exclude(pk__in=records_ids)
        .values_list("pk", flat=True)
    )
    try:
        with transaction.atomic():
            for pk in working_ids:
                before = sum(report.working.values())
                _purge_working(pk, report.working, report.files)
                if sum(report.working.values()) > before:
                    report.trajecten_working.append(pk)
            for pk in records_ids:
                _purge_records(pk, report.records, report.files)
                report.trajecten_records.append(pk)
            if dry_run:
                raise _DryRun
            if report.trajecten_working or report.trajecten_records:
                audit.record(
                    action="retention.purge",
                    detail={
                        "working": dict(report.working),
                        "records": dict(report.records),
                        "trajecten_working": report.trajecten_working,
                        "trajecten_records": report.trajecten_records,
                    },
                )
            names = list(report.files)
            transaction.on_commit(lambda: _delete_files(names))
    except _DryRun:
        pass
    return report


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            continue
