"""The rhythm of the cycle as pure date arithmetic: no database, easy to test."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable

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


#: A slot whose first open day lies further ahead than this moves back instead, to the
#: last open day before it (a conversation before the summer holiday, not six weeks later).
MAX_FORWARD_DAYS = 14


def weekday_open(day: datetime.date) -> bool:
    return day.weekday() < 5


def working_day(
    day: datetime.date,
    latest: datetime.date,
    is_open: Callable[[datetime.date], bool] = weekday_open,
) -> datetime.date:
    """The open day for a slot on `day`: `day` itself when the school is open; otherwise
    the first open day after it (a weekend moves to the Monday), unless that passes
    `latest` (the traject's end date) or lies more than MAX_FORWARD_DAYS ahead, then the
    last open day before it. `is_open` says which days are open (weekdays by default; the
    planner passes the school's calendar: public and school holidays closed)."""
    if is_open(day):
        return day
    ahead = day + datetime.timedelta(days=1)
    while not is_open(ahead) and (ahead - day).days <= MAX_FORWARD_DAYS:
        ahead += datetime.timedelta(days=1)
    if is_open(ahead) and ahead <= latest and (ahead - day).days <= MAX_FORWARD_DAYS:
        return ahead
    back = day - datetime.timedelta(days=1)
    for _ in range(120):
        if is_open(back):
            return back
        back -= datetime.timedelta(days=1)
    return ahead if ahead <= latest else day


def cycle_dates(
    start: datetime.date,
    end: datetime.date,
    is_open: Callable[[datetime.date], bool] = weekday_open,
) -> list[tuple[int, datetime.date]]:
    """The conversations of a traject from `start` to `end`: (cycle number, date), one every
    three months after the start (the rhythm counts from the start, so a moved slot does not
    shift the others), each on an open day of the school, none after the end date."""
    slots = []
    n = 1
    while (rhythm := add_months(start, CYCLE_MONTHS * n)) <= end:
        slots.append((n, working_day(rhythm, end, is_open)))
        n += 1
    return slots


def at_default_time(day: datetime.date) -> datetime.datetime:
    """The default start of a planned conversation on `day`, in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, DEFAULT_TIME))


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
