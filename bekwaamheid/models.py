"""The competence dossier: the college's versioned framework of indicators and rubrics, the
research assignments with their criteria, evidence and feedback, and the Proeve van
bekwaamheid with its frozen snapshot, the assessors' judgements and the signed oordeel.

Records (a submitted snapshot, a recorded judgement, a signed oordeel) are never edited in
place; corrections are addenda. Evidence is soft-deleted and purged after 30 days unless a
submitted snapshot references it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Partnerschap
from portal.uploads import upload_path
from trajecten.models import Bekwaamheidsgebied, Traject

RESTORE_DAYS = 30


class Niveau(models.IntegerChoices):
    """The four rubric levels; what each means per indicator is data (Rubriekniveau)."""

    BEGINNEND = 1, _("beginnend")
    IN_ONTWIKKELING = 2, _("in ontwikkeling")
    STARTBEKWAAM = 3, _("startbekwaam")
    GEVORDERD = 4, _("gevorderd")


class Uitslag(models.TextChoices):
    VOLDOENDE = "voldoende", _("voldoende")
    ONVOLDOENDE = "onvoldoende", _("onvoldoende")


# --- The framework ----------------------------------------------------------------------


class Bekwaamheidskader(models.Model):
    """One version of the college's framework: indicators per area, with rubrics.

    A concept version is edited in the admin; publishing it makes it the version new dossiers
    start with. A published version is not edited again (a dossier keeps the version it
    started with); changes go into a new version.
    """

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        ACTIEF = "actief", _("Actief")
        GEARCHIVEERD = "gearchiveerd", _("Gearchiveerd")

    name = models.CharField(_("naam"), max_length=200)
    versie = models.PositiveIntegerField(_("versie"), unique=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.CONCEPT
    )
    toelichting = models.TextField(_("toelichting"), blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("bekwaamheidskader")
        verbose_name_plural = _("bekwaamheidskaders")
        ordering = ["-versie"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="actief"), name="one_active_kader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.versie})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.CONCEPT


class Bekwaamheidseis(models.Model):
    """An indicator of the college's framework, beneath one legal area."""

    kader = models.ForeignKey(
        Bekwaamheidskader,
        on_delete=models.PROTECT,
        related_name="eisen",
        verbose_name=_("kader"),
    )
    gebied = models.ForeignKey(
        Bekwaamheidsgebied,
        on_delete=models.PROTECT,
        related_name="eisen",
        verbose_name=_("bekwaamheidsgebied"),
    )
    code = models.CharField(_("code"), max_length=10)
    titel = models.CharField(_("indicator"), max_length=300)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("bekwaamheidseis")
        verbose_name_plural = _("bekwaamheidseisen")
        ordering = ["kader", "gebied__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kader", "code"], name="eis_code_unique_per_kader"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}"


class Rubriekniveau(models.Model):
    """What one rubric level looks like for one indicator."""

    eis = models.ForeignKey(
        Bekwaamheidseis,
        on_delete=models.CASCADE,
        related_name="niveaus",
        verbose_name=_("bekwaamheidseis"),
    )
    niveau = models.PositiveSmallIntegerField(_("niveau"), choices=Niveau.choices)
    omschrijving = models.TextField(_("omschrijving"))

    class Meta:
        verbose_name = _("rubriekniveau")
        verbose_name_plural = _("rubriekniveaus")
        ordering = ["eis", "niveau"]
        constraints = [
            models.UniqueConstraint(fields=["eis", "niveau"], name="one_descriptor_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.eis.code} – {self.get_niveau_display()}"


# --- The dossier and its assignments ------------------------------------------------------


class Dossier(models.Model):
    """A side-entrant's competence dossier, on the framework version it started with."""

    traject = models.OneToOneField(
        Traject, on_delete=models.PROTECT, related_name="dossier", verbose_name=_("traject")
    )
    kader = models.ForeignKey(
        Bekwaamheidskader,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("kader"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return str(self.traject)


class Opdracht(models.Model):
    """A research assignment as a module teacher (or the SLB) set it, for one or more
    side-entrants; each of them works on it in their own Onderzoeksopdracht."""

    titel = models.CharField(_("titel"), max_length=200)
    omschrijving = models.TextField(_("opdracht"))
    eisen = models.ManyToManyField(
        Bekwaamheidseis, related_name="opdrachten", verbose_name=_("indicatoren")
    )
    partnerschap = models.ForeignKey(
        Partnerschap,
        on_delete=models.PROTECT,
        related_name="opdrachten",
        verbose_name=_("partnerschap"),
    )
    deadline = models.DateField(_("inleveren uiterlijk"), null=True, blank=True)
    gesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="gestelde_opdrachten",
        verbose_name=_("gesteld door"),
    )
    doelgroep = models.CharField(_("doelgroep"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("opdracht")
        verbose_name_plural = _("opdrachten")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.titel


class Onderzoeksopdracht(models.Model):
    """One side-entrant's work on an assignment: criteria, evidence, reflection, feedback."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        INGEDIEND = "ingediend", _("Ingediend voor feedback")
        AFGEROND = "afgerond", _("Afgerond")

    opdracht = models.ForeignKey(
        Opdracht,
        on_delete=models.PROTECT,
        related_name="uitwerkingen",
        verbose_name=_("opdracht"),
    )
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        related_name="onderzoeksopdrachten",
        verbose_name=_("dossier"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.CONCEPT,
        db_index=True,
    )
    in_dossier = models.BooleanField(
        _("in het dossier voor de Proeve"),
        default=False,
        help_text=_("De zij-instromer kiest welk afgerond werk in het dossier komt."),
    )
    ingediend_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    afgerond_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("onderzoeksopdracht")
        verbose_name_plural = _("onderzoeksopdrachten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opdracht", "dossier"], name="one_uitwerking_per_dossier"
            ),
            models.CheckConstraint(
                condition=Q(in_dossier=False) | Q(status="afgerond"),
                name="only_finished_work_in_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opdracht.titel} – {self.dossier}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.AFGEROND


class Succescriterium(models.Model):
    """A success criterion the side-entrant formulated, with their reflection on it."""

    onderzoeksopdracht = models.ForeignKey(
        Onderzoeksopdracht,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("onderzoeksopdracht"),
    )
    tekst = models.TextField(_("succescriterium"))
    reflectie = models.TextField(_("reflectie"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("succescriterium")
        verbose_name_plural = _("succescriteria")
        ordering = ["onderzoeksopdracht", "order", "pk"]

    def __str__(self) -> str:
        return self.tekst[:60]


class Bewijsstuk(models.Model):
    """A piece of evidence: a file (served only through an access-checked view) or a link.

    Files are never replaced in place. Removing one sets removed_at; it can be restored for
    30 days and is purged after that, unless a submitted snapshot references it.
    """

    onderzoeksopdracht = models.ForeignKey(
        Onderzoeksopdracht,
        on_delete=models.PROTECT,
        related_name="bewijsstukken",
        verbose_name=_("onderzoeksopdracht"),
    )
    criterium = models.ForeignKey(
        Succescriterium,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bewijsstukken",
        verbose_name=_("succescriterium"),
    )
    titel = models.CharField(_("titel"), max_length=200)
    bestand = models.FileField(_("bestand"), upload_to=upload_path, max_length=255, blank=True)
    bestand_naam = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    mime = models.CharField(_("soort bestand"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("grootte"), default=0)
    sha256 = models.CharField(_("controlegetal"), max_length=64, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    toegevoegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("toegevoegd door"),
    )
    created_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)
    removed_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(bestand="") & ~Q(link="")) | (~Q(bestand="") & Q(link="")),
                name="bewijsstuk_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.titel

    @property
    def is_file(self) -> bool:
        return bool(self.bestand)

    @property
    def restorable_until(self) -> datetime.datetime | None:
        if self.removed_at is None:
            return None
        return self.removed_at + datetime.timedelta(days=RESTORE_DAYS)


class Feedbackverzoek(models.Model):
    """The side-entrant asked a named person for formative feedback on their work."""

    onderzoeksopdracht = models.ForeignKey(
        Onderzoeksopdracht,
        on_delete=models.CASCADE,
        related_name="verzoeken",
        verbose_name=_("onderzoeksopdracht"),
    )
    gevraagd_aan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="feedbackverzoeken",
        verbose_name=_("gevraagd aan"),
    )
    vraag = models.TextField(_("vraag"), blank=True)
    created_at = models.DateTimeField(_("gevraagd op"), auto_now_add=True)
    beantwoord_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedbackverzoek")
        verbose_name_plural = _("feedbackverzoeken")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["onderzoeksopdracht", "gevraagd_aan"],
                name="one_open_request_per_person",
                condition=Q(beantwoord_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gevraagd_aan} – {self.onderzoeksopdracht}"


class Feedback(models.Model):
    """A message in the feedback conversation about one assignment (replies thread under
    the message they answer)."""

    onderzoeksopdracht = models.ForeignKey(
        Onderzoeksopdracht,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("onderzoeksopdracht"),
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    antwoord_op = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="antwoorden",
        verbose_name=_("antwoord op"),
    )
    tekst = models.TextField(_("bericht"))
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.tekst[:60]


# --- The Proeve ----------------------------------------------------------------------------


class Proeve(models.Model):
    """One attempt at the Proeve van bekwaamheid, judging a frozen snapshot of the dossier.

    `snapshot` is written once on submission and never changed; the evidence it references
    (`bewijsstukken`) is protected from removal and purge.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Herkansing: dossier nog indienen")
        INGEDIEND = "ingediend", _("Ingediend, nog te plannen")
        GEPLAND = "gepland", _("Gepland")
        AFGEROND = "afgerond", _("Afgerond")

    class PdfStatus(models.TextChoices):
        GEEN = "geen", _("Nog niet gemaakt")
        BEZIG = "bezig", _("Wordt gemaakt")
        KLAAR = "klaar", _("Klaar")
        MISLUKT = "mislukt", _("Mislukt")

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="proeven", verbose_name=_("dossier")
    )
    poging = models.PositiveSmallIntegerField(_("poging"), default=1)
    herkansing_van = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="herkansing",
        verbose_name=_("herkansing van"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.INGEDIEND,
        db_index=True,
    )
    snapshot = models.JSONField(_("momentopname"), default=dict, blank=True, editable=False)
    snapshot_hash = models.CharField(_("controlegetal"), max_length=64, blank=True)
    bewijsstukken = models.ManyToManyField(
        Bewijsstuk, blank=True, related_name="proeven", verbose_name=_("vastgelegde bewijsstukken")
    )
    ingediend_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    ingediend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    datum = models.DateTimeField(_("datum en tijd"), null=True, blank=True)
    locatie = models.CharField(_("locatie"), max_length=200, blank=True)
    veldassessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proeven_veld",
        verbose_name=_("veldassessor"),
    )
    opleidingsassessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proeven_opleiding",
        verbose_name=_("opleidingsassessor"),
    )
    gepland_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepland door"),
    )
    uitslag = models.CharField(_("uitslag"), max_length=12, choices=Uitslag.choices, blank=True)
    afgerond_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=upload_path, max_length=255, blank=True)
    pdf_status = models.CharField(
        _("PDF-status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.GEEN
    )
    pdf_source_hash = models.CharField(_("PDF-bron"), max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF gemaakt op"), null=True, blank=True)
    pdf_requested_at = models.DateTimeField(_("PDF aangevraagd op"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Proeve van bekwaamheid")
        verbose_name_plural = _("Proeven van bekwaamheid")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(veldassessor__isnull=True)
                | Q(opleidingsassessor__isnull=True)
                | ~Q(veldassessor=F("opleidingsassessor")),
                name="proeve_two_different_assessors",
            ),
            models.UniqueConstraint(
                fields=["dossier"],
                condition=~Q(status="afgerond"),
                name="one_running_proeve_per_dossier",
            ),
            models.UniqueConstraint(fields=["dossier", "poging"], name="proeve_poging_unique"),
        ]

    def __str__(self) -> str:
        return f"Proeve {self.poging} – {self.dossier}"

    @property
    def traject(self) -> Traject:
        return self.dossier.traject

    def assessor_rol(self, user) -> str | None:
        """ "veld" or "opleiding" when `user` is one of this Proeve's assessors."""
        if user.pk and user.pk == self.veldassessor_id:
            return Beoordeling.Rol.VELD
        if user.pk and user.pk == self.opleidingsassessor_id:
            return Beoordeling.Rol.OPLEIDING
        return None


class Beoordeling(models.Model):
    """One assessor's own judgement, recorded before seeing the other's."""

    class Rol(models.TextChoices):
        VELD = "veld", _("veldassessor")
        OPLEIDING = "opleiding", _("opleidingsassessor")

    proeve = models.ForeignKey(
        Proeve, on_delete=models.PROTECT, related_name="beoordelingen", verbose_name=_("Proeve")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="beoordelingen",
        verbose_name=_("assessor"),
    )
    rol = models.CharField(_("rol"), max_length=10, choices=Rol.choices)
    toelichting = models.TextField(_("algemene toelichting"), blank=True)
    recorded_at = models.DateTimeField(_("vastgelegd op"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["proeve", "rol"]
        constraints = [
            models.UniqueConstraint(fields=["proeve", "rol"], name="one_beoordeling_per_rol"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rol_display()}: {self.assessor}"


class Beoordelingsregel(models.Model):
    """An assessor's level and motivation for one indicator."""

    beoordeling = models.ForeignKey(
        Beoordeling,
        on_delete=models.CASCADE,
        related_name="regels",
        verbose_name=_("beoordeling"),
    )
    eis = models.ForeignKey(
        Bekwaamheidseis, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    niveau = models.PositiveSmallIntegerField(_("niveau"), choices=Niveau.choices)
    motivatie = models.TextField(_("motivering"))

    class Meta:
        verbose_name = _("beoordelingsregel")
        verbose_name_plural = _("beoordelingsregels")
        ordering = ["beoordeling", "eis__gebied__order", "eis__order", "eis__code"]
        constraints = [
            models.UniqueConstraint(fields=["beoordeling", "eis"], name="one_level_per_eis"),
        ]

    def __str__(self) -> str:
        return f"{self.eis_id}: {self.get_niveau_display()}"


class Oordeel(models.Model):
    """The joint verdict of both assessors. A record from the second signature on: never
    edited again; corrections are addenda."""

    proeve = models.OneToOneField(
        Proeve, on_delete=models.PROTECT, related_name="oordeel", verbose_name=_("Proeve")
    )
    uitslag = models.CharField(_("uitslag"), max_length=12, choices=Uitslag.choices)
    motivatie = models.TextField(_("motivering"))
    opgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opgesteld door"),
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    locked_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("oordeel")
        verbose_name_plural = _("oordelen")

    def __str__(self) -> str:
        return f"{self.proeve}: {self.get_uitslag_display()}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Oordeelsregel(models.Model):
    """The agreed level and motivation for one indicator."""

    oordeel = models.ForeignKey(
        Oordeel, on_delete=models.CASCADE, related_name="regels", verbose_name=_("oordeel")
    )
    eis = models.ForeignKey(
        Bekwaamheidseis, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    niveau = models.PositiveSmallIntegerField(_("niveau"), choices=Niveau.choices)
    motivatie = models.TextField(_("motivering"))

    class Meta:
        verbose_name = _("oordeelsregel")
        verbose_name_plural = _("oordeelsregels")
        ordering = ["oordeel", "eis__gebied__order", "eis__order", "eis__code"]
        constraints = [
            models.UniqueConstraint(fields=["oordeel", "eis"], name="one_agreed_level_per_eis"),
        ]

    def __str__(self) -> str:
        return f"{self.eis_id}: {self.get_niveau_display()}"


class Ondertekening(models.Model):
    """An assessor's signature under the oordeel, after re-authentication."""

    oordeel = models.ForeignKey(
        Oordeel,
        on_delete=models.PROTECT,
        related_name="ondertekeningen",
        verbose_name=_("oordeel"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor"),
    )
    rol = models.CharField(_("rol"), max_length=10, choices=Beoordeling.Rol.choices)
    signed_at = models.DateTimeField(_("ondertekend op"), default=timezone.now)
    oordeel_version = models.PositiveIntegerField(_("versie van het oordeel"))

    class Meta:
        verbose_name = _("ondertekening")
        verbose_name_plural = _("ondertekeningen")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["oordeel", "rol"], name="one_signature_per_rol"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rol_display()}: {self.assessor_id} ({self.signed_at:%Y-%m-%d})"


class OordeelAddendum(models.Model):
    """A correction or addition to a signed oordeel: who, when, what."""

    oordeel = models.ForeignKey(
        Oordeel, on_delete=models.PROTECT, related_name="addenda", verbose_name=_("oordeel")
    )
    tekst = models.TextField(_("addendum"))
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.tekst[:60]
