"""The rhythm of the cycle as pure date arithmetic: no database, easy to test."""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone

CYCLE_MONTHS = 3
DEFAULT_TIME = datetime.time(15, 30)  # after school: the side-entrant teaches in the morning
DEFAULT_DURATION = 60


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months; the 31st becomes the last day of a short month."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last))


def working_day(day: datetime.date, latest: datetime.date) -> datetime.date:
    """Move a weekend date to the Monday after, or to the Friday before when that Monday
    would pass `latest` (the traject's end date)."""
    if day.weekday() < 5:
        return day
    monday = day + datetime.timedelta(days=7 - day.weekday())
    if monday <= latest:
        return monday
    return day - datetime.timedelta(days=day.weekday() - 4)


def cycle_dates(start: datetime.date, end: datetime.date) -> list[tuple[int, datetime.date]]:
    """The conversations of a traject from `start` to `end`: (cycle number, date), one every
    three months after the start, on a working day, none after the end date."""
    slots = []
    n = 1
    while (rhythm := add_months(start, CYCLE_MONTHS * n)) <= end:
        slots.append((n, working_day(rhythm, end)))
        n += 1
    return slots


def at_default_time(day: datetime.date) -> datetime.datetime:
    """The default start of a planned conversation on `day`, in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, DEFAULT_TIME))


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
