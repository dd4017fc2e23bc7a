"""Demo data for the portal core: the partnership, its boards and schools, the demo accounts
and the four trajecten. Each app adds its own demo data in `<app>/demo.py` (a `load(ctx)`).

Idempotent: everything is found by a natural key first; a second run changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

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


def load() -> DemoContext:
    ctx = DemoContext(today=timezone.localdate())
    for email, first, last in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=PASSWORD,
                first_name=first,
                last_name=last,
                is_staff=email == "admin@lev.test",
                is_superuser=email == "admin@lev.test",
            )
        ctx.users[email] = user

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
        4: ("jozef", _months_ago(today, 26), Traject.Status.AFGEROND, "coach2", None),
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
