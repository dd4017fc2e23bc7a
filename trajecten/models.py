"""The side-entrant's route: Traject, who holds which role on it, the intake and the log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import School
from portal.uploads import upload_path

MAX_DURATION_DAYS = 731  # "at most two years": two calendar years incl. a leap day


def two_years_after(start: datetime.date) -> datetime.date:
    """The last allowed end date of a traject that starts on `start`."""
    try:
        return start.replace(year=start.year + 2)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 2, day=28)


class Rol(models.TextChoices):
    """The roles a person can hold towards one traject (see shared/domain.md)."""

    ZIJ_INSTROMER = "zij_instromer", _("zij-instromer")
    COACH = "coach", _("leerkrachtcoach")
    SLB = "slb", _("studieloopbaanbegeleider")
    DUO = "duo", _("duo-collega")
    SCHOOLLEIDER = "schoolleider", _("schoolleider")
    COORDINATOR = "coordinator", _("coördinator partnerschap")


class Traject(models.Model):
    """One side-entrant's route through the programme, at most two years long."""

    class Route(models.TextChoices):
        ZIB = "zib", _("Zij-instroom in beroep")
        VERSNELD = "versneld", _("Versneld voor de klas")

    class Status(models.TextChoices):
        INTAKE = "intake", _("Intake")
        ACTIEF = "actief", _("Actief")
        AFGEROND = "afgerond", _("Afgerond")
        GESTOPT = "gestopt", _("Gestopt")

    zij_instromer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trajecten",
        verbose_name=_("zij-instromer"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="trajecten", verbose_name=_("school")
    )
    route = models.CharField(_("route"), max_length=10, choices=Route.choices)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INTAKE, db_index=True
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="coach_van", verbose_name=_("leerkrachtcoach"),
    )
    slb = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="slb_van", verbose_name=_("studieloopbaanbegeleider"),
    )
    duo = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="duo_van", verbose_name=_("duo-collega"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="traject_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"{self.zij_instromer} ({self.start_date:%d-%m-%Y})"

    @property
    def max_end_date(self) -> datetime.date:
        return two_years_after(self.start_date)

    @property
    def days_left(self) -> int:
        return (self.end_date - timezone.localdate()).days

    @property
    def ends_soon(self) -> bool:
        """True from six months before the end date (the warning period)."""
        return self.status in (self.Status.INTAKE, self.Status.ACTIEF) and self.days_left <= 183

    def holder(self, rol: str):
        """The user holding `rol` on this traject (None if vacant)."""
        return {
            Rol.ZIJ_INSTROMER: self.zij_instromer,
            Rol.COACH: self.coach,
            Rol.SLB: self.slb,
            Rol.DUO: self.duo,
        }.get(rol)


class Roltoewijzing(models.Model):
    """History of who held the coach, SLB or duo role on a traject, and when."""

    traject = models.ForeignKey(
        Traject, on_delete=models.CASCADE, related_name="roltoewijzingen",
        verbose_name=_("traject"),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roltoewijzingen",
        verbose_name=_("persoon"),
    )
    van = models.DateTimeField(_("vanaf"), default=timezone.now)
    tot = models.DateTimeField(_("tot"), null=True, blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("gewijzigd door"),
    )

    class Meta:
        verbose_name = _("roltoewijzing")
        verbose_name_plural = _("roltoewijzingen")
        ordering = ["traject", "rol", "van"]
        constraints = [
            models.UniqueConstraint(
                fields=["traject", "rol"], condition=Q(tot__isnull=True),
                name="one_current_holder_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rol_display()}: {self.user}"


class Bekwaamheidsgebied(models.Model):
    """An area of the legal bekwaamheidseisen: vakinhoudelijk, vakdidactisch, pedagogisch.

    Data, not code: seeded by a migration. The college's versioned indicators and rubrics
    (bekwaamheid app) hang beneath these areas.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("bekwaamheidsgebied")
        verbose_name_plural = _("bekwaamheidsgebieden")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Geschiktheidsonderzoek(models.Model):
    """The intake suitability assessment done by the college for the school board."""

    class Uitkomst(models.TextChoices):
        POSITIEF = "positief", _("Positief")
        NEGATIEF = "negatief", _("Negatief")

    traject = models.OneToOneField(
        Traject, on_delete=models.PROTECT, related_name="geschiktheidsonderzoek",
        verbose_name=_("traject"),
    )
    datum = models.DateField(_("datum"))
    uitkomst = models.CharField(_("uitkomst"), max_length=10, choices=Uitkomst.choices)
    kan_direct_lesgeven = models.TextField(_("Kan direct lesgeven?"))
    kan_binnen_twee_jaar = models.TextField(_("Kan binnen twee jaar bekwaam worden?"))
    scholing_en_ondersteuning = models.TextField(_("Welke scholing en ondersteuning is nodig?"))
    rapport = models.FileField(
        _("rapport (PDF)"), upload_to=upload_path, max_length=255, blank=True
    )
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("geschiktheidsonderzoek")
        verbose_name_plural = _("geschiktheidsonderzoeken")

    def __str__(self) -> str:
        return f"{self.traject} – {self.get_uitkomst_display()}"


class Ontwikkelpunt(models.Model):
    """A development point from the intake, tied to an area of the bekwaamheidseisen."""

    traject = models.ForeignKey(
        Traject, on_delete=models.CASCADE, related_name="ontwikkelpunten",
        verbose_name=_("traject"),
    )
    gebied = models.ForeignKey(
        Bekwaamheidsgebied, on_delete=models.PROTECT, related_name="ontwikkelpunten",
        verbose_name=_("bekwaamheidsgebied"),
    )
    titel = models.CharField(_("titel"), max_length=200)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("ontwikkelpunt")
        verbose_name_plural = _("ontwikkelpunten")
        ordering = ["traject", "order", "pk"]

    def __str__(self) -> str:
        return self.titel


class Logboekregel(models.Model):
    """An entry in the side-entrant's progress log."""

    traject = models.ForeignKey(
        Traject, on_delete=models.CASCADE, related_name="logboekregels",
        verbose_name=_("traject"),
    )
    datum = models.DateField(_("datum"))
    wat_er_gebeurde = models.TextField(_("Wat gebeurde er?"))
    geleerd = models.TextField(_("Wat heb ik geleerd?"), blank=True)
    ontwikkelpunten = models.ManyToManyField(
        Ontwikkelpunt, blank=True, related_name="logboekregels",
        verbose_name=_("ontwikkelpunten"),
    )
    bijlage = models.FileField(_("bijlage"), upload_to=upload_path, max_length=255, blank=True)
    bijlage_naam = models.CharField(_("naam bijlage"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("logboekregel")
        verbose_name_plural = _("logboekregels")
        ordering = ["-datum", "-pk"]
        indexes = [models.Index(fields=["traject", "-datum"])]

    def __str__(self) -> str:
        return f"{self.datum:%d-%m-%Y}: {self.wat_er_gebeurde[:40]}"
