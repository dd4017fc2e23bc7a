"""People and organisations: the user, the partnership, school boards and schools.

Roles are relations, not global groups: a school leader is linked to a school, a coordinator
to a partnership, and the roles around one side-entrant live on their Traject.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    """A person who logs in with their e-mail address."""

    class Language(models.TextChoices):
        NL = "nl", _("Nederlands")
        EN = "en", _("Engels")

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    language = models.CharField(
        _("taal"),
        max_length=5,
        choices=Language.choices,
        default=Language.NL,
        help_text=_("Taal van e-mails en herinneringen."),
    )
    muted_mail_kinds = models.JSONField(
        _("uitgeschakelde e-mails"),
        default=list,
        blank=True,
        help_text=_(
            "Soorten e-mail die deze persoon niet wil ontvangen; meldingen in het portaal blijven."
        ),
    )
    calendar_token = models.CharField(
        _("agendasleutel"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Partnerschap(models.Model):
    """A teacher college (pabo) and the school boards that train side-entrants with it."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    pabo = models.CharField(_("pabo"), max_length=200)
    coordinatoren = models.ManyToManyField(
        User, related_name="coordinator_van", blank=True, verbose_name=_("coördinatoren")
    )
    docenten = models.ManyToManyField(
        User, related_name="docent_van", blank=True, verbose_name=_("moduledocenten")
    )
    assessoren = models.ManyToManyField(
        User,
        related_name="assessor_van",
        blank=True,
        verbose_name=_("assessoren"),
        help_text=_("De assessoren (veld en opleiding) die voor een Proeve gekozen kunnen worden."),
    )
    leden = models.ManyToManyField(
        User,
        related_name="lid_van",
        blank=True,
        verbose_name=_("mensen"),
        help_text=_(
            "Iedereen met een account in dit partnerschap, ook coaches en SLB'ers die "
            "nog aan een traject gekoppeld moeten worden."
        ),
    )

    class Meta:
        verbose_name = _("partnerschap")
        verbose_name_plural = _("partnerschappen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Schoolbestuur(models.Model):
    """A school board (bevoegd gezag): employs the side-entrants of its schools."""

    partnerschap = models.ForeignKey(
        Partnerschap,
        on_delete=models.PROTECT,
        related_name="besturen",
        verbose_name=_("partnerschap"),
    )
    name = models.CharField(_("naam"), max_length=200)
    bevoegd_gezag_nummer = models.CharField(
        _("bevoegd-gezagnummer"), max_length=10, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("schoolbestuur")
        verbose_name_plural = _("schoolbesturen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A primary school (vestiging), a certified partner school or not."""

    bestuur = models.ForeignKey(
        Schoolbestuur,
        on_delete=models.PROTECT,
        related_name="scholen",
        verbose_name=_("schoolbestuur"),
    )
    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(
        _("BRIN/vestigingsnummer"), max_length=8, unique=True, null=True, blank=True
    )
    plaats = models.CharField(_("plaats"), max_length=100, blank=True)
    regio = models.CharField(
        _("vakantieregio"),
        max_length=6,
        blank=True,
        choices=[("noord", _("noord")), ("midden", _("midden")), ("zuid", _("zuid"))],
        help_text=_(
            "De regio van de schoolvakanties. Onbekend: de planning mijdt de vakanties van "
            "alle drie de regio's."
        ),
    )
    is_partnerschool = models.BooleanField(_("partnerschool"), default=False)
    leiders = models.ManyToManyField(
        User, related_name="schoolleider_van", blank=True, verbose_name=_("schoolleiders")
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.plaats})" if self.plaats else self.name


class Schoolvakantie(models.Model):
    """One school holiday of one region (or of the whole country) in one school year, as
    the government publishes them (reference data: shipped for the years Lev knows, imported
    for later ones with `manage.py schoolvakanties_import`; see gesprekken.planning)."""

    class Regio(models.TextChoices):
        NOORD = "noord", _("noord")
        MIDDEN = "midden", _("midden")
        ZUID = "zuid", _("zuid")
        HEEL = "heel", _("heel Nederland")

    schooljaar = models.CharField(_("schooljaar"), max_length=9, help_text="2025-2026")
    naam = models.CharField(_("vakantie"), max_length=60)
    regio = models.CharField(_("regio"), max_length=6, choices=Regio.choices)
    eerste_dag = models.DateField(_("eerste dag"))
    laatste_dag = models.DateField(_("laatste dag"))
    bron = models.CharField(_("bron"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("schoolvakantie")
        verbose_name_plural = _("schoolvakanties")
        ordering = ["eerste_dag", "regio"]
        constraints = [
            models.UniqueConstraint(
                fields=["schooljaar", "naam", "regio"], name="schoolvakantie_once"
            ),
            models.CheckConstraint(
                condition=models.Q(laatste_dag__gte=models.F("eerste_dag")),
                name="schoolvakantie_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} {self.schooljaar} ({self.get_regio_display()})"


class Inzageverzoek(models.Model):
    """A formal request for access under the AVG (art. 15), handled by a coordinator: the
    full export, including the coaches' and SLBs' private notes about the person, after the
    coordinator checked those notes for other people's data (portal.inzage)."""

    class Status(models.TextChoices):
        ONTVANGEN = "ontvangen", _("ontvangen")
        VERSTREKT = "verstrekt", _("verstrekt")

    persoon = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="inzageverzoeken", verbose_name=_("persoon")
    )
    partnerschap = models.ForeignKey(
        Partnerschap, on_delete=models.PROTECT, related_name="+", verbose_name=_("partnerschap")
    )
    ontvangen_op = models.DateField(_("ontvangen op"))
    toelichting = models.TextField(
        _("toelichting"),
        blank=True,
        help_text=_("Hoe het verzoek binnenkwam en hoe de identiteit is vastgesteld."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ONTVANGEN
    )
    geregistreerd_door = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("geregistreerd door")
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    verstrekt_op = models.DateTimeField(_("verstrekt op"), null=True, blank=True)
    verstrekt_door = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verstrekt door"),
    )

    class Meta:
        verbose_name = _("inzageverzoek")
        verbose_name_plural = _("inzageverzoeken")
        ordering = ["-ontvangen_op", "-pk"]

    def __str__(self) -> str:
        return f"{self.persoon} ({self.ontvangen_op:%d-%m-%Y})"


class InzageNotitie(models.Model):
    """A private note about the person as the coordinator released it for one request:
    checked, with other people's data taken out. The note itself is not changed."""

    verzoek = models.ForeignKey(
        Inzageverzoek, on_delete=models.CASCADE, related_name="notities", verbose_name=_("verzoek")
    )
    notitie_id = models.BigIntegerField(_("privénotitie"))
    auteur = models.CharField(_("auteur"), max_length=200)
    gesprek_datum = models.DateField(_("datum van het gesprek"))
    tekst = models.TextField(_("tekst zoals verstrekt"), blank=True)
    beoordeeld_door = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("gecontroleerd door")
    )
    beoordeeld_op = models.DateTimeField(_("gecontroleerd op"), auto_now=True)

    class Meta:
        verbose_name = _("verstrekte privénotitie")
        verbose_name_plural = _("verstrekte privénotities")
        ordering = ["gesprek_datum", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["verzoek", "notitie_id"], name="inzagenotitie_once")
        ]

    def __str__(self) -> str:
        return f"{self.auteur} ({self.gesprek_datum:%d-%m-%Y})"


class Notificatie(models.Model):
    """An in-app notification: the same events as the mails, visible in the portal."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notificaties", verbose_name=_("ontvanger")
    )
    kind = models.CharField(_("soort"), max_length=50)
    text = models.CharField(_("tekst"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    read_at = models.DateTimeField(_("gelezen"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class Mail(models.Model):
    """An outgoing e-mail, rendered at the moment of the event and sent by a Celery task.

    Kept so that failed sends are visible to the admin and retried with back-off.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        SENDING = "sending", _("Wordt verzonden")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Mislukt")

    to = models.EmailField(_("aan"))
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("ontvanger"),
    )
    kind = models.CharField(_("soort"), max_length=50)
    subject = models.CharField(_("onderwerp"), max_length=300)
    body_text = models.TextField(_("tekst"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("bijlagen"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)
    # When a worker took the mail to send it (status "sending"); see portal.mail._claim.
    claimed_at = models.DateTimeField(_("genomen om te verzenden"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class AuditEvent(models.Model):
    """Append-only record of who did what, when and from where.

    `traject_id` is a plain number, not a foreign key: the trail outlives what it describes
    and never cascades. Written only through portal.audit.record; never edited.
    """

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    actor_label = models.CharField(_("door (naam)"), max_length=200, blank=True)
    action = models.CharField(_("handeling"), max_length=60, db_index=True)
    object_type = models.CharField(_("soort object"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    traject_id = models.BigIntegerField(_("traject"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class Startbijeenkomst(models.Model):
    """A start meeting shortly before a cohort starts, for school leaders and coaches."""

    partnerschap = models.ForeignKey(
        Partnerschap,
        on_delete=models.CASCADE,
        related_name="startbijeenkomsten",
        verbose_name=_("partnerschap"),
    )
    title = models.CharField(_("titel"), max_length=200)
    cohort_start = models.DateField(
        _("start cohort"), help_text=_("De startdatum van de trajecten die bij dit cohort horen.")
    )
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = models.CharField(_("plaats of videolink"), max_length=300)
    description = models.TextField(_("programma"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("gepland door")
    )
    sequence = models.PositiveIntegerField(_("volgnummer agenda"), default=0)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("startbijeenkomst")
        verbose_name_plural = _("startbijeenkomsten")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="startbijeenkomst_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Uitnodiging(models.Model):
    """An invitation to a start meeting, and whether the person came."""

    bijeenkomst = models.ForeignKey(
        Startbijeenkomst,
        on_delete=models.CASCADE,
        related_name="uitnodigingen",
        verbose_name=_("startbijeenkomst"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="uitnodigingen", verbose_name=_("genodigde")
    )
    rol = models.CharField(_("rol"), max_length=20)
    invited_at = models.DateTimeField(_("uitgenodigd op"), auto_now_add=True)
    aanwezig = models.BooleanField(_("aanwezig"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bijeenkomst", "user"], name="one_invitation_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.bijeenkomst}"


class Scholing(models.Model):
    """A completed part of the college's coach training: the leerkrachtcoach course, a
    return meeting (terugkombijeenkomst) or the train-the-trainer course for boards."""

    class Soort(models.TextChoices):
        COACHTRAINING = "coachtraining", _("Leerkrachtcoachtraining")
        TERUGKOM = "terugkom", _("Terugkombijeenkomst")
        TRAIN_THE_TRAINER = "ttt", _("Train-de-trainer")

    partnerschap = models.ForeignKey(
        Partnerschap,
        on_delete=models.CASCADE,
        related_name="scholingen",
        verbose_name=_("partnerschap"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="scholingen", verbose_name=_("persoon")
    )
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    datum = models.DateField(_("datum afgerond"))
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        verbose_name = _("scholing")
        verbose_name_plural = _("scholingen")
        ordering = ["-datum"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnerschap", "user", "soort", "datum"], name="scholing_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_soort_display()} ({self.datum})"


class Rolbeschrijving(models.Model):
    """What a role does in the programme, editable by the coordinator, in both languages."""

    class Rol(models.TextChoices):
        ZIJ_INSTROMER = "zij_instromer", _("zij-instromer")
        COACH = "coach", _("leerkrachtcoach")
        SLB = "slb", _("studieloopbaanbegeleider")
        SCHOOLLEIDER = "schoolleider", _("schoolleider")
        DUO = "duo", _("duo-collega")
        ASSESSOR = "assessor", _("assessor")

    partnerschap = models.ForeignKey(
        Partnerschap,
        on_delete=models.CASCADE,
        related_name="rolbeschrijvingen",
        verbose_name=_("partnerschap"),
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    body_nl = models.TextField(_("beschrijving (Nederlands)"))
    body_en = models.TextField(_("beschrijving (Engels)"), blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("rolbeschrijving")
        verbose_name_plural = _("rolbeschrijvingen")
        constraints = [
            models.UniqueConstraint(fields=["partnerschap", "rol"], name="one_description_per_role")
        ]

    def __str__(self) -> str:
        return self.get_rol_display()


class ApiToken(models.Model):
    """A key for one integration (such as the college's student information system) to read
    one partnership's trajecten through the JSON API (portal.api).

    Only a SHA-256 hash of the key is stored: the key itself is shown once, when the admin
    creates it. Revoked keys stay for the record; they are never deleted.
    """

    name = models.CharField(
        _("naam"), max_length=100, help_text=_("Welk systeem gebruikt deze sleutel?")
    )
    partnerschap = models.ForeignKey(
        Partnerschap,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("partnerschap"),
        help_text=_("De sleutel geeft alleen de trajecten van dit partnerschap."),
    )
    prefix = models.CharField(_("begin van de sleutel"), max_length=12, editable=False)
    token_hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
        editable=False,
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["partnerschap", "name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
