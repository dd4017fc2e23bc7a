"""The quarterly conversation cycle: Gesprek, the preparations, the Verslag with its
Afspraken and Signalen, signatures and addenda, and the record of reminders sent.

A signed Verslag is a record: it is never edited in place; corrections are Addenda.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Partnerschap
from trajecten.models import Logboekregel, Ontwikkelpunt, Rol, Traject

# The three people who hold, prepare and sign the conversation.
DEELNEMERS = (Rol.ZIJ_INSTROMER, Rol.COACH, Rol.SLB)


class SignaalTag(models.Model):
    """A label for signals, kept per partnership by its coordinator (e.g. werkdruk, team)."""

    partnerschap = models.ForeignKey(
        Partnerschap,
        on_delete=models.CASCADE,
        related_name="signaal_tags",
        verbose_name=_("partnerschap"),
    )
    name = models.CharField(_("naam"), max_length=60)
    is_active = models.BooleanField(
        _("in gebruik"),
        default=True,
        help_text=_("Een tag die niet meer in gebruik is, blijft bij bestaande signalen staan."),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("signaaltag")
        verbose_name_plural = _("signaaltags")
        ordering = ["partnerschap", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnerschap", "name"], name="signaaltag_unique_name_per_partnerschap"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Gesprek(models.Model):
    """One conversation of the quarterly cycle (or an extra one) of a traject."""

    class Soort(models.TextChoices):
        CYCLUS = "cyclus", _("Driemaandelijks gesprek")
        EXTRA = "extra", _("Extra gesprek")

    class Status(models.TextChoices):
        GEPLAND = "gepland", _("Gepland")
        VERVALLEN = "vervallen", _("Vervallen")

    traject = models.ForeignKey(
        Traject, on_delete=models.CASCADE, related_name="gesprekken", verbose_name=_("traject")
    )
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    cycle_number = models.PositiveSmallIntegerField(
        _("nummer in de cyclus"),
        null=True,
        blank=True,
        help_text=_("1 voor het gesprek na drie maanden, 2 na zes maanden, enzovoort."),
    )
    planned_for = models.DateField(
        _("datum volgens het ritme"),
        null=True,
        blank=True,
        help_text=_(
            "De datum die het driemaandelijkse ritme aangeeft; blijft staan als het "
            "gesprek verplaatst wordt."
        ),
    )
    starts_at = models.DateTimeField(_("begint om"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duur (minuten)"), default=60)
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    video_url = models.URLField(_("videolink"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.GEPLAND
    )
    # Calendar identity: the UID never changes; SEQUENCE goes up with every move so that
    # calendar apps update the same event. Also the optimistic-locking version of a move.
    uid = models.UUIDField(_("agenda-UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("volgnummer agenda"), default=0)
    moved_at = models.DateTimeField(_("verplaatst op"), null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verplaatst door"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    # A stored figure (gesprekken.figures): the local date the report was locked, so that
    # the overviews count slots on time, late and overdue without reading every report.
    fig_signed_on = models.DateField(_("verslag ondertekend op"), null=True, editable=False)

    class Meta:
        verbose_name = _("begeleidingsgesprek")
        verbose_name_plural = _("begeleidingsgesprekken")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["traject", "cycle_number"],
                condition=Q(cycle_number__isnull=False),
                name="gesprek_one_per_cycle_slot",
            ),
            models.CheckConstraint(
                condition=Q(soort="extra", cycle_number__isnull=True)
                | Q(soort="cyclus", cycle_number__isnull=False),
                name="gesprek_cycle_number_iff_cyclus",
            ),
        ]
        indexes = [
            models.Index(fields=["traject", "starts_at"]),
            # The overviews' oldest overdue slots: open cycle slots by date.
            models.Index(
                fields=["planned_for"],
                condition=Q(soort="cyclus", status="gepland", fig_signed_on__isnull=True),
                name="gesprek_open_slot_by_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.traject.zij_instromer} – {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def local_date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_moved(self) -> bool:
        return self.moved_at is not None


class Voorbereiding(models.Model):
    """One participant's preparation of a conversation, shared with the other participants.

    The side-entrant answers the three questions; coach and SLB write reflective questions.
    """

    gesprek = models.ForeignKey(
        Gesprek,
        on_delete=models.CASCADE,
        related_name="voorbereidingen",
        verbose_name=_("gesprek"),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    waar_sta_ik = models.TextField(_("Waar sta ik nu?"), blank=True)
    volgende_stap = models.TextField(_("Wat is mijn volgende stap?"), blank=True)
    wat_nodig = models.TextField(_("Wat heb ik daarvoor nodig?"), blank=True)
    reflectievragen = models.TextField(_("Reflectievragen"), blank=True)
    ontwikkelpunten = models.ManyToManyField(
        Ontwikkelpunt, blank=True, related_name="+", verbose_name=_("ontwikkelpunten")
    )
    logboekregels = models.ManyToManyField(
        Logboekregel, blank=True, related_name="+", verbose_name=_("logboekregels")
    )
    bewijsstukken = models.ManyToManyField(
        "bekwaamheid.Bewijsstuk", blank=True, related_name="+", verbose_name=_("bewijsstukken")
    )
    ready_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("voorbereiding")
        verbose_name_plural = _("voorbereidingen")
        ordering = ["gesprek", "rol"]
        constraints = [
            models.UniqueConstraint(fields=["gesprek", "rol"], name="voorbereiding_one_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.gesprek} – {self.get_rol_display()}"

    @property
    def is_ready(self) -> bool:
        return self.ready_at is not None


class PriveNotitie(models.Model):
    """A coach's or SLB's private note on a conversation: only its author ever sees it.

    Kept apart from the preparation so that no query for shared material, export or dossier
    can pick it up by accident.
    """

    gesprek = models.ForeignKey(
        Gesprek, on_delete=models.CASCADE, related_name="+", verbose_name=_("gesprek")
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("auteur"),
    )
    tekst = models.TextField(_("notitie"), blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("privénotitie")
        verbose_name_plural = _("privénotities")
        constraints = [
            models.UniqueConstraint(
                fields=["gesprek", "auteur"], name="privenotitie_one_per_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gesprek} – {self.auteur}"


class Verslag(models.Model):
    """The report of a conversation. Locked (a record) once every participant signed it."""

    class Koers(models.TextChoices):
        OP_KOERS = "op_koers", _("Op koers")
        AANDACHT = "aandacht", _("Aandacht nodig")
        UIT_KOERS = "uit_koers", _("Uit koers")

    gesprek = models.OneToOneField(
        Gesprek, on_delete=models.PROTECT, related_name="verslag", verbose_name=_("gesprek")
    )
    tekst = models.TextField(_("verslag"), blank=True)
    koers = models.CharField(
        _("Zitten wij nog op de goede weg?"), max_length=10, choices=Koers.choices, blank=True
    )
    koers_reden = models.TextField(_("toelichting"), blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    locked_at = models.DateTimeField(_("vergrendeld op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opgesteld door"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("laatst gewijzigd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")

    def __str__(self) -> str:
        return str(self.gesprek)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Handtekening(models.Model):
    """A participant's signature under a given version of a verslag.

    A signature counts only for the version it was given on: an edit after it asks for a new
    one, so that nobody's name stands under text they did not read.
    """

    verslag = models.ForeignKey(
        Verslag,
        on_delete=models.PROTECT,
        related_name="handtekeningen",
        verbose_name=_("verslag"),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ondertekend door"),
    )
    version = models.PositiveIntegerField(_("versie ondertekend"))
    signed_at = models.DateTimeField(_("ondertekend op"), default=timezone.now)

    class Meta:
        verbose_name = _("handtekening")
        verbose_name_plural = _("handtekeningen")
        ordering = ["verslag", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["verslag", "rol", "version"], name="handtekening_once_per_role_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_rol_display()})"


class Afspraak(models.Model):
    """An agreement from a conversation, with an owner and a due date."""

    verslag = models.ForeignKey(
        Verslag, on_delete=models.PROTECT, related_name="afspraken", verbose_name=_("verslag")
    )
    omschrijving = models.CharField(_("afspraak"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="gesprek_afspraken",
        verbose_name=_("eigenaar"),
    )
    due_date = models.DateField(_("uiterlijk"), db_index=True)
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgerond door"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["verslag", "order", "pk"]

    def __str__(self) -> str:
        return self.omschrijving

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_date < timezone.localdate()


class Signaal(models.Model):
    """An obstacle, support need or success that surfaced in a conversation, tagged so that
    coordinators can see across schools what helps and what blocks."""

    class Soort(models.TextChoices):
        BELEMMERING = "belemmering", _("Belemmering")
        ONDERSTEUNINGSBEHOEFTE = "ondersteuning", _("Ondersteuningsbehoefte")
        SUCCES = "succes", _("Succes")

    verslag = models.ForeignKey(
        Verslag, on_delete=models.PROTECT, related_name="signalen", verbose_name=_("verslag")
    )
    soort = models.CharField(_("soort"), max_length=15, choices=Soort.choices)
    tekst = models.CharField(_("citaat of korte omschrijving"), max_length=300)
    tags = models.ManyToManyField(
        SignaalTag, blank=True, related_name="signalen", verbose_name=_("tags")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    # Stored figures (gesprekken.figures): once the report is signed, its traject and the
    # local date of the conversation, so that the signal overviews count straight from this
    # table. Empty while the report is a draft: a draft's signals do not count.
    fig_traject = models.ForeignKey(
        "trajecten.Traject",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("traject (ondertekend)"),
    )
    fig_held_on = models.DateField(_("gesprek gehouden op"), null=True, editable=False)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["verslag", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_soort_display()}: {self.tekst[:40]}"


class Addendum(models.Model):
    """A correction or addition to a locked verslag, with who and when."""

    verslag = models.ForeignKey(
        Verslag, on_delete=models.PROTECT, related_name="addenda", verbose_name=_("verslag")
    )
    tekst = models.TextField(_("aanvulling"))
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["verslag", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.auteur} {self.created_at:%d-%m-%Y}"


class Herinnering(models.Model):
    """A reminder that went out. One row per (subject, recipient, kind), enforced by the
    database, makes a retried task, a second beat or a re-run of the sweep harmless."""

    class Soort(models.TextChoices):
        VOORBEREIDING_14 = "voorbereiding_14", _("Voorbereiden: over twee weken")
        VOORBEREIDING_3 = "voorbereiding_3", _("Voorbereiden: over drie dagen")
        VERSLAG = "verslag", _("Verslag ondertekenen")
        AFSPRAAK = "afspraak", _("Afspraak over de datum")
        DIGEST_SLB = "digest_slb", _("Weekoverzicht SLB")

    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ontvanger"),
    )
    gesprek = models.ForeignKey(
        Gesprek,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="herinneringen",
        verbose_name=_("gesprek"),
    )
    afspraak = models.ForeignKey(
        Afspraak,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="herinneringen",
        verbose_name=_("afspraak"),
    )
    week = models.DateField(_("week (maandag)"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gesprek", "recipient", "soort"],
                condition=Q(gesprek__isnull=False),
                name="herinnering_once_per_gesprek",
            ),
            models.UniqueConstraint(
                fields=["afspraak", "recipient", "soort"],
                condition=Q(afspraak__isnull=False),
                name="herinnering_once_per_afspraak",
            ),
            models.UniqueConstraint(
                fields=["week", "recipient", "soort"],
                condition=Q(week__isnull=False),
                name="herinnering_once_per_week",
            ),
            models.CheckConstraint(
                condition=Q(gesprek__isnull=False, afspraak__isnull=True, week__isnull=True)
                | Q(gesprek__isnull=True, afspraak__isnull=False, week__isnull=True)
                | Q(gesprek__isnull=True, afspraak__isnull=True, week__isnull=False),
                name="herinnering_exactly_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} → {self.recipient}"
