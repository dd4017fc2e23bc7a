"""Demo data for the portal core: the partnership, its boards and schools, the demo accounts
and the four trajecten. Each app adds its own demo data in `<app>/demo.py` (a `load(ctx)`).

Idempotent: everything is found by a natural key first; a second run changes nothing.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from trajecten.models import Roltoewijzing, Traject, two_years_after

from .models import Partnerschap, School, Schoolbestuur, User

PASSWORD = "lev-demo-2026"

# (e-mail, first name, last name)
ACCOUNTS = [
    ("zijinstromer1@lev.test", "Sanne", "de Vries"),
    ("zijinstromer2@lev.test", "Mohamed", "El Amrani"),
    ("zijinstromer3@lev.test", "Lotte", "Jansen"),
    ("zijinstromer4@lev.test", "Pieter", "Bakker"),
    ("coach1@lev.test", "Marieke", "van den Berg"),
    ("coach2@lev.test", "Johan", "Visser"),
    ("slb1@lev.test", "Femke", "Mulder"),
    ("duo1@lev.test", "Esther", "Vos"),
    ("docent1@lev.test", "Bram", "Willems"),
    ("schoolleider1@lev.test", "Henk", "de Boer"),
    ("schoolleider2@lev.test", "Ingrid", "Smit"),
    ("assessor-veld@lev.test", "Kees", "Dekker"),
    ("assessor-opleiding@lev.test", "Anouk", "Hendriks"),
    ("coordinator@lev.test", "Wendy", "Kramer"),
    ("admin@lev.test", "Ruud", "Peters"),
]


# Every login the demo makes: (e-mail, role, what to try with it). `manage.py demo` prints
# this list and README.md's table shows it (tests/portal/test_demo_logins.py keeps the three
# in step with the accounts the demo really makes).
LOGINS = [
    (
        "zijinstromer1@lev.test",
        "side-entrant, first year, De Regenboog",
        "log progress, prepare the next quarterly conversation, ask for feedback on evidence",
    ),
    (
        "zijinstromer2@lev.test",
        "side-entrant, second year, OBS De Vlinder",
        "the dossier submitted for the Proeve; follow the assessors' verdict",
    ),
    (
        "zijinstromer3@lev.test",
        "side-entrant, just started (versneld), De Regenboog",
        "comment on the draft of your first scholingsplan",
    ),
    (
        "zijinstromer4@lev.test",
        "side-entrant, finished, Sint-Jozefschool",
        "a finished traject: the Proeve PDF, download all your data (AVG)",
    ),
    (
        "coach1@lev.test",
        "leerkrachtcoach of Sanne, Lotte, Ilse and Noor",
        "react to the log, prepare a conversation with private notes, give feedback",
    ),
    (
        "coach2@lev.test",
        "leerkrachtcoach of Mohamed, Pieter, Daan, Sem, Julia and Thijs",
        "a coach with many side-entrants, one of them off track",
    ),
    (
        "slb1@lev.test",
        "studieloopbaanbegeleider of most side-entrants",
        "write and sign a verslag with afspraken and signals, draft a scholingsplan",
    ),
    ("duo1@lev.test", "duo-collega of Sanne", "answer a feedback request"),
    ("docent1@lev.test", "moduledocent", "give research assignments, formative feedback"),
    (
        "schoolleider1@lev.test",
        "head of De Regenboog",
        "the school's overview: one side-entrant off track, one at intake",
    ),
    (
        "schoolleider2@lev.test",
        "head of OBS De Vlinder",
        "agree Julia's scholingsplan that waits for the school; signals",
    ),
    (
        "assessor-veld@lev.test",
        "veldassessor (Proeven of Mohamed and Pieter)",
        "judge independently, sign with re-authentication, download the PDF",
    ),
    (
        "assessor-opleiding@lev.test",
        "opleidingsassessor (Proeven of Mohamed and Pieter)",
        "the second, blind judgement and the joint oordeel",
    ),
    (
        "coordinator@lev.test",
        "coördinator partnerschap",
        "the overview with drill-down and CSV, signals, people and roles, start meetings",
    ),
    (
        "admin@lev.test",
        "administrator",
        "/beheer/ (reference data and accounts) and the development mailbox /dev/mailbox/",
    ),
    (
        "jeroen.smits@lev.test",
        "leerkrachtcoach at Sint-Jozefschool and CBS De Wegwijzer",
        "a coach at two schools of the other board",
    ),
    (
        "hanna.dijkstra@lev.test",
        "studieloopbaanbegeleider of Julia, Fatima, Ruben, Eline, Lisa",
        "a second SLB; a stopped traject",
    ),
    ("maarten.kok@lev.test", "head of CBS De Wegwijzer", "a school of the second board"),
    (
        "ilse.kuipers@lev.test",
        "side-entrant, opleiding, De Regenboog",
        "a traject with one late report",
    ),
    (
        "daan.mertens@lev.test",
        "side-entrant (versneld), De Regenboog, off track",
        "four conversations in a row off track; a change of coach",
    ),
    (
        "noor.hendriks@lev.test",
        "side-entrant still at intake, De Regenboog",
        "a fresh intake, followed through to your own agreement of the plan",
    ),
    ("sem.dewit@lev.test", "side-entrant, OBS De Vlinder", "a missed conversation"),
    (
        "julia.bos@lev.test",
        "side-entrant (versneld), OBS De Vlinder",
        "a scholingsplan waiting for agreement",
    ),
    ("thijs.vandam@lev.test", "side-entrant, OBS De Vlinder", "near the two-year limit"),
    ("fatima.yilmaz@lev.test", "side-entrant, Sint-Jozefschool", "a plan still being drafted"),
    ("ruben.janssen@lev.test", "side-entrant, Sint-Jozefschool, stopped", "a stopped traject"),
    (
        "eline.vermeulen@lev.test",
        "side-entrant, CBS De Wegwijzer",
        "a change of SLB: the new SLB finds the whole history",
    ),
    ("mehmet.aydin@lev.test", "side-entrant (versneld), CBS De Wegwijzer", "a traject on course"),
    (
        "lisa.degraaf@lev.test",
        "side-entrant at intake, CBS De Wegwijzer",
        "an intake waiting for its suitability assessment",
    ),
]


@dataclass
class DemoContext:
    """What the core demo made, for the apps' demo loaders to build on."""

    today: datetime.date
    users: dict[str, User] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)
    trajecten: dict[int, Traject] = field(default_factory=dict)
    partnerschap: Partnerschap | None = None

    def user(self, local: str) -> User:
        return self.users[f"{local}@lev.test"]


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    year, month = divmod(today.month - 1 - months, 12)
    return today.replace(year=today.year + year, month=month + 1, day=1)


def demo_user(email: str, first: str, last: str, **extra) -> User:
    """The demo account with this e-mail address, made with the demo password when new.

    Every demo account has the same password, so it is hashed once per run: a hash costs
    about 0.4 s (PBKDF2 with Django's iterations), some thirty accounts 12 s."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, first_name=first, last_name=last, **extra
        )
        user.password = _demo_password_hash(settings.PASSWORD_HASHERS[0])
        user.save(update_fields=["password"])
    return user


@functools.cache
def _demo_password_hash(hasher: str) -> str:
    return make_password(PASSWORD)


def load() -> DemoContext:
    ctx = DemoContext(today=timezone.localdate())
    for email, first, last in ACCOUNTS:
        admin = email == "admin@lev.test"
        ctx.users[email] = demo_user(email, first, last, is_staff=admin, is_superuser=admin)

    ps, _created = Partnerschap.objects.get_or_create(
        name="Partnerschap Opleiden Rivierenland",
        defaults={"pabo": "Pabo Rivierenland"},
    )
    ctx.partnerschap = ps
    ps.coordinatoren.add(ctx.user("coordinator"))
    ps.docenten.add(ctx.user("docent1"), ctx.user("slb1"))
    ps.assessoren.add(ctx.user("assessor-veld"), ctx.user("assessor-opleiding"))

    b1, _c = Schoolbestuur.objects.get_or_create(
        bevoegd_gezag_nummer="41001",
        defaults={"partnerschap": ps, "name": "Stichting Primair Onderwijs Rivierenland"},
    )
    b2, _c = Schoolbestuur.objects.get_or_create(
        bevoegd_gezag_nummer="41002",
        defaults={"partnerschap": ps, "name": "Stichting Katholiek Onderwijs Betuwe"},
    )
    for key, brin, name, plaats, bestuur, partner in (
        ("regenboog", "01AB00", "Basisschool De Regenboog", "Tiel", b1, True),
        ("vlinder", "02CD00", "OBS De Vlinder", "Culemborg", b1, True),
        ("jozef", "03EF00", "Sint-Jozefschool", "Geldermalsen", b2, False),
    ):
        ctx.schools[key], _c = School.objects.get_or_create(
            brin=brin,
            defaults={
                "name": name,
                "plaats": plaats,
                "bestuur": bestuur,
                "is_partnerschool": partner,
                # The Rivierenland is in the school-holiday region zuid: the demo's cycles
                # step around its holidays (Tiel's Regenboog left unknown: all regions).
                "regio": "" if key == "regenboog" else "zuid",
            },
        )
    ctx.schools["regenboog"].leiders.add(ctx.user("schoolleider1"))
    ctx.schools["vlinder"].leiders.add(ctx.user("schoolleider2"))

    today = ctx.today
    plans = {
        # n: (school, start, status, coach, duo)
        1: ("regenboog", _months_ago(today, 8), Traject.Status.ACTIEF, "coach1", "duo1"),
        2: ("vlinder", _months_ago(today, 20), Traject.Status.ACTIEF, "coach2", None),
        3: ("regenboog", _months_ago(today, 2), Traject.Status.ACTIEF, "coach1", None),
        # Pieter's traject is closed after his Proeve, by the bekwaamheid demo's services.
        4: ("jozef", _months_ago(today, 26), Traject.Status.ACTIEF, "coach2", None),
    }
    for n, (school, start, status, coach, duo) in plans.items():
        zi = ctx.user(f"zijinstromer{n}")
        traject = Traject.objects.filter(zij_instromer=zi).first()
        if traject is None:
            end = two_years_after(start) - datetime.timedelta(days=1)
            traject = Traject.objects.create(
                zij_instromer=zi,
                school=ctx.schools[school],
                route=Traject.Route.VERSNELD if n == 3 else Traject.Route.ZIB,
                start_date=start,
                end_date=end,
                status=status,
                coach=ctx.user(coach),
                slb=ctx.user("slb1"),
                duo=ctx.user(duo) if duo else None,
            )
            for rol, holder in (
                ("coach", traject.coach),
                ("slb", traject.slb),
                ("duo", traject.duo),
            ):
                if holder:
                    Roltoewijzing.objects.create(
                        traject=traject,
                        rol=rol,
                        user=holder,
                        van=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9))),
                    )
        ctx.trajecten[n] = traject
    return ctx
