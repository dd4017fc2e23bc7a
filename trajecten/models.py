"""The side-entrant's route: Traject, who holds which role on it, the intake, the
scholingsplan (versioned) and the log."""

from __future__ import annotations

import datetime
import uuid

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


def default_end_date(start: datetime.date) -> datetime.date:
    """The usual end date: two years after the start, minus a day (1 Sep -> 31 Aug)."""
    return two_years_after(start) - datetime.timedelta(days=1)


class Rol(models.TextChoices):
    """The roles a person can hold towards one traject (see shared/domain.md)."""

    ZIJ_INSTROMER = "zij_instromer", _("zij-instromer")
    COACH = "coach", _("leerkrachtcoach")
    SLB = "slb", _("studieloopbaanbegeleider")
    DUO = "duo", _("duo-collega")
    SCHOOLLEIDER = "schoolleider", _("schoolleider")
    COORDINATOR = "coordinator", _("coördinator partnerschap")


class Stage(models.TextChoices):
    """Where a traject stands on the route: its lifecycle phase, stored in Traject.fase and
    moved only by trajecten.lifecycle.move."""

    INTAKE = "intake", _("Intake")
    SCHOLINGSPLAN = "scholingsplan", _("Scholingsplan")
    OPLEIDING = "opleiding", _("Opleiding")
    PROEVE = "proeve", _("Proeve")
    AFGEROND = "afgerond", _("Afgerond")
    GESTOPT = "gestopt", _("Gestopt")


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
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="trajecten",
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
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coach_van",
        verbose_name=_("leerkrachtcoach"),
    )
    slb = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slb_van",
        verbose_name=_("studieloopbaanbegeleider"),
    )
    duo = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duo_van",
        verbose_name=_("duo-collega"),
    )
    fase = models.CharField(
        _("fase"),
        max_length=14,
        choices=Stage.choices,
        default=Stage.INTAKE,
        editable=False,
        help_text=_("Verandert alleen door de stappen van het traject (trajecten.lifecycle)."),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    # Figures for the overviews, derived from reports, Proeven and role assignments and kept
    # by portal.overview.figures.refresh_traject_figures whenever one of those is written
    # (never edited here): the overviews count 2,000 trajecten with plain columns instead of
    # correlated subqueries per traject.
    fig_last_koers = models.CharField(max_length=12, blank=True, default="", editable=False)
    fig_prev_koers = models.CharField(max_length=12, blank=True, default="", editable=False)
    fig_proeve = models.CharField(max_length=12, blank=True, default="", editable=False)
    fig_coach_changes = models.PositiveIntegerField(default=0, editable=False)
    fig_slb_changes = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="traject_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["school", "fase"]),
        ]

    def __str__(self) -> str:
        return f"{self.zij_instromer} ({self.start_date:%d-%m-%Y})"

    @property
    def max_end_date(self) -> datetime.date:
        """The last end date without an extension: two years after the start, minus a day
        (as the importer allows: a start on 1 September ends on 31 August at the latest)."""
        return default_end_date(self.start_date)

    @property
    def is_extended(self) -> bool:
        """Longer than two years: only through a recorded Verlenging (no query needed)."""
        return self.end_date > self.max_end_date

    @property
    def days_left(self) -> int:
        return (self.end_date - timezone.localdate()).days

    @property
    def ends_soon(self) -> bool:
        """True from six months before the end date (the warning period)."""
        return self.status in (self.Status.INTAKE, self.Status.ACTIEF) and self.days_left <= 183

    @property
    def stage_label(self) -> str:
        """The label of the phase (see trajecten.lifecycle)."""
        stage = getattr(self, "stage", None) or self.fase
        return str(Stage(stage).label) if stage in Stage.values else ""

    def holder(self, rol: str):
        """The user holding `rol` on this traject (None if vacant)."""
        return {
            Rol.ZIJ_INSTROMER: self.zij_instromer,
            Rol.COACH: self.coach,
            Rol.SLB: self.slb,
            Rol.DUO: self.duo,
        }.get(rol)


class Verlenging(models.Model):
    """A recorded extension of a traject past its end date: who agreed, why, until when.
    A record: never edited or deleted; a second extension is a new row. Written only by
    trajecten.services.looptijd.traject_verlengen, which also moves Traject.end_date."""

    traject = models.ForeignKey(
        Traject,
        on_delete=models.PROTECT,
        related_name="verlengingen",
        verbose_name=_("traject"),
    )
    van = models.DateField(_("einddatum tot nu toe"))
    tot = models.DateField(_("nieuwe einddatum"))
    reden = models.TextField(_("reden"))
    akkoord = models.CharField(
        _("akkoord van"),
        max_length=300,
        help_text=_("Wie stemden in, bijvoorbeeld de schoolleider en de opleiding."),
    )
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    vastgelegd_op = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("verlenging")
        verbose_name_plural = _("verlengingen")
        ordering = ["traject", "vastgelegd_op", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(tot__gt=F("van")), name="verlenging_later"),
        ]

    def __str__(self) -> str:
        return f"{self.traject_id}: {self.van:%d-%m-%Y} → {self.tot:%d-%m-%Y}"


class Roltoewijzing(models.Model):
    """History of who held the coach, SLB or duo role on a traject, and when."""

    traject = models.ForeignKey(
        Traject,
        on_delete=models.CASCADE,
        related_name="roltoewijzingen",
        verbose_name=_("traject"),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="roltoewijzingen",
        verbose_name=_("persoon"),
    )
    van = models.DateTimeField(_("vanaf"), default=timezone.now)
    tot = models.DateTimeField(_("tot"), null=True, blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )

    class Meta:
        verbose_name = _("roltoewijzing")
        verbose_name_plural = _("roltoewijzingen")
        ordering = ["traject", "rol", "van"]
        constraints = [
            models.UniqueConstraint(
                fields=["traject", "rol"],
                condition=Q(tot__isnull=True),
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
        Traject,
        on_delete=models.PROTECT,
        related_name="geschiktheidsonderzoek",
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
    rapport_naam = models.CharField(_("naam rapport"), max_length=200, blank=True)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    # Optimistic locking: two people correcting the intake at once must not overwrite each other.
    version = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("geschiktheidsonderzoek")
        verbose_name_plural = _("geschiktheidsonderzoeken")

    def __str__(self) -> str:
        return f"{self.traject} – {self.get_uitkomst_display()}"


class Ontwikkelpunt(models.Model):
    """A development point from the intake, tied to an area of the bekwaamheidseisen."""

    traject = models.ForeignKey(
        Traject,
        on_delete=models.CASCADE,
        related_name="ontwikkelpunten",
        verbose_name=_("traject"),
    )
    gebied = models.ForeignKey(
        Bekwaamheidsgebied,
        on_delete=models.PROTECT,
        related_name="ontwikkelpunten",
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
        Traject,
        on_delete=models.CASCADE,
        related_name="logboekregels",
        verbose_name=_("traject"),
    )
    datum = models.DateField(_("datum"))
    wat_er_gebeurde = models.TextField(_("Wat gebeurde er?"))
    geleerd = models.TextField(_("Wat heb ik geleerd?"), blank=True)
    ontwikkelpunten = models.ManyToManyField(
        Ontwikkelpunt,
        blank=True,
        related_name="logboekregels",
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


class LogboekregelVersie(models.Model):
    """An earlier version of a log entry, kept when the side-entrant edits it.

    The current text lives on the Logboekregel itself; every edit first copies the text as it
    was into a LogboekregelVersie with that version number.
    """

    regel = models.ForeignKey(
        Logboekregel,
        on_delete=models.CASCADE,
        related_name="versies",
        verbose_name=_("logboekregel"),
    )
    version = models.PositiveIntegerField(_("versie"))
    datum = models.DateField(_("datum"))
    wat_er_gebeurde = models.TextField(_("Wat gebeurde er?"))
    geleerd = models.TextField(_("Wat heb ik geleerd?"), blank=True)
    ontwikkelpunten = models.ManyToManyField(
        Ontwikkelpunt,
        blank=True,
        related_name="+",
        verbose_name=_("ontwikkelpunten"),
    )
    bijlage = models.FileField(_("bijlage"), upload_to=upload_path, max_length=255, blank=True)
    bijlage_naam = models.CharField(_("naam bijlage"), max_length=200, blank=True)
    saved_at = models.DateTimeField(_("opgeslagen op"))

    class Meta:
        verbose_name = _("eerdere versie van een logboekregel")
        verbose_name_plural = _("eerdere versies van logboekregels")
        ordering = ["regel", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["regel", "version"], name="logboekversie_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.regel} (v{self.version})"


class Logboekreactie(models.Model):
    """A reaction of the coach or SLB on a log entry."""

    regel = models.ForeignKey(
        Logboekregel,
        on_delete=models.CASCADE,
        related_name="reacties",
        verbose_name=_("logboekregel"),
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    tekst = models.TextField(_("reactie"))
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("reactie op logboekregel")
        verbose_name_plural = _("reacties op logboekregels")
        ordering = ["regel", "created_at", "pk"]

    def __str__(self) -> str:
        return self.tekst[:40]


class Scholingsplan(models.Model):
    """The training plan of a traject: a container of numbered versions.

    Version 1 is drafted from the ontwikkelpunten; once all three parties agreed a version it
    is a record, and a change makes a new version. Whether an activity is done is tracked
    per plan (Activiteitvoortgang), so ticking it off never touches an agreed version.
    """

    traject = models.OneToOneField(
        Traject,
        on_delete=models.PROTECT,
        related_name="scholingsplan",
        verbose_name=_("traject"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("scholingsplan")
        verbose_name_plural = _("scholingsplannen")

    def __str__(self) -> str:
        return f"{_('Scholingsplan')} {self.traject}"


class Scholingsplanversie(models.Model):
    """One version of a scholingsplan: concept, ter instemming, then vastgesteld (a record)."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        TER_INSTEMMING = "ter_instemming", _("Ter instemming")
        VASTGESTELD = "vastgesteld", _("Vastgesteld")

    plan = models.ForeignKey(
        Scholingsplan,
        on_delete=models.PROTECT,
        related_name="versies",
        verbose_name=_("scholingsplan"),
    )
    nummer = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    toelichting = models.TextField(
        _("Wat verandert er en waarom?"),
        blank=True,
        help_text=_("Verplicht vanaf versie 2: de reden van de wijziging."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opgesteld door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("ter instemming sinds"), null=True, blank=True)
    vastgesteld_op = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    # Optimistic locking of the draft.
    version = models.PositiveIntegerField(_("bewerkversie"), default=1)

    class Meta:
        verbose_name = _("versie van een scholingsplan")
        verbose_name_plural = _("versies van scholingsplannen")
        ordering = ["plan", "-nummer"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "nummer"], name="planversie_nummer_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=~Q(status="vastgesteld"),
                name="planversie_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.nummer}"

    @property
    def is_record(self) -> bool:
        return self.status == self.Status.VASTGESTELD


class Activiteit(models.Model):
    """A planned module or activity for one ontwikkelpunt, in one plan version.

    `key` stays the same when a new version copies the activity, so progress and the diff
    between versions follow the activity across versions.
    """

    class Ondersteuning(models.TextChoices):
        COACH = "coach", _("leerkrachtcoach")
        DUO = "duo", _("duo-collega")
        SLB = "slb", _("studieloopbaanbegeleider")

    versie = models.ForeignKey(
        Scholingsplanversie,
        on_delete=models.CASCADE,
        related_name="activiteiten",
        verbose_name=_("versie"),
    )
    key = models.UUIDField(_("sleutel"), default=uuid.uuid4, editable=False)
    ontwikkelpunt = models.ForeignKey(
        Ontwikkelpunt,
        on_delete=models.PROTECT,
        related_name="activiteiten",
        verbose_name=_("ontwikkelpunt"),
    )
    omschrijving = models.CharField(_("module of activiteit"), max_length=300)
    ondersteuning = models.JSONField(_("ondersteuning"), default=list, blank=True)
    periode_van = models.DateField(_("periode van"))
    periode_tot = models.DateField(_("periode tot en met"))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["versie", "ontwikkelpunt__order", "ontwikkelpunt_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["versie", "key"], name="activiteit_key_unique"),
            models.CheckConstraint(
                condition=Q(periode_tot__gte=F("periode_van")), name="activiteit_periode_order"
            ),
        ]

    def __str__(self) -> str:
        return self.omschrijving

    def ondersteuning_labels(self) -> list[str]:
        labels = dict(self.Ondersteuning.choices)
        return [str(labels[v]) for v in self.ondersteuning if v in labels]


class Instemming(models.Model):
    """One party's agreement with a plan version: who, in which role, when."""

    class Partij(models.TextChoices):
        ZIJ_INSTROMER = "zij_instromer", _("zij-instromer")
        SCHOOL = "school", _("school (schoolleider)")
        OPLEIDING = "opleiding", _("opleiding (SLB of coördinator)")

    versie = models.ForeignKey(
        Scholingsplanversie,
        on_delete=models.PROTECT,
        related_name="instemmingen",
        verbose_name=_("versie"),
    )
    partij = models.CharField(_("partij"), max_length=20, choices=Partij.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("door"),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("instemming")
        verbose_name_plural = _("instemmingen")
        ordering = ["versie", "at"]
        constraints = [
            models.UniqueConstraint(fields=["versie", "partij"], name="instemming_once_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.get_partij_display()}: {self.user}"


class Planopmerking(models.Model):
    """A comment on a plan version (the side-entrant proposes changes this way)."""

    versie = models.ForeignKey(
        Scholingsplanversie,
        on_delete=models.PROTECT,
        related_name="opmerkingen",
        verbose_name=_("versie"),
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    tekst = models.TextField(_("opmerking"))
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("opmerking bij scholingsplan")
        verbose_name_plural = _("opmerkingen bij scholingsplannen")
        ordering = ["versie", "created_at", "pk"]

    def __str__(self) -> str:
        return self.tekst[:40]


class Activiteitvoortgang(models.Model):
    """Whether a planned activity is done. Keyed by the activity's stable key, per plan:
    it follows the activity across versions and never changes a version's content."""

    plan = models.ForeignKey(
        Scholingsplan,
        on_delete=models.CASCADE,
        related_name="voortgang",
        verbose_name=_("scholingsplan"),
    )
    key = models.UUIDField(_("activiteit"))
    afgerond = models.BooleanField(_("afgerond"), default=False)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), default=timezone.now)

    class Meta:
        verbose_name = _("voortgang van een activiteit")
        verbose_name_plural = _("voortgang van activiteiten")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="voortgang_once_per_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.afgerond}"
