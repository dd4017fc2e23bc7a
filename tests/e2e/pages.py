"""The main pages of each demo account: what `make screenshots` photographs and what the tour
test (`test_tour.py`) opens and checks (axe-core WCAG 2.1 AA, no sideways scrolling at
1280x900 and 390x844).

Add a line when your page lands. A path may use the placeholders of `placeholders()`
({t1} is the pk of zijinstromer1's traject, and so on); add a placeholder there when your page
needs the id of a demo object. A listed page that answers 404 is skipped with a note (its
feature has not landed yet); any other status than 200 fails.
"""

from __future__ import annotations

from dataclasses import dataclass

ANONYMOUS = "anonymous"  # an account name for pages seen without logging in


@dataclass(frozen=True)
class Screen:
    account: str  # the local part of the demo e-mail ("coach1" is coach1@lev.test) or ANONYMOUS
    name: str  # short slug for the file name: docs/screenshots/<account>-<name>-<viewport>.png
    path: str  # a path on the site, with {placeholders}


SCREENS: list[Screen] = [
    # Before logging in.
    Screen(ANONYMOUS, "inloggen", "/account/login/"),
    # Side-entrant: lands on the own traject.
    Screen("zijinstromer1", "start", "/"),
    Screen("zijinstromer1", "meldingen", "/meldingen/"),
    Screen("zijinstromer1", "instellingen", "/instellingen/"),
    Screen("zijinstromer2", "start", "/"),
    # Coach, study-career supervisor, buddy.
    Screen("coach1", "start", "/"),
    Screen("coach1", "mijn-zij-instromers", "/trajecten/mijn/"),
    Screen("coach1", "traject", "/trajecten/{t1}/"),
    Screen("slb1", "start", "/"),
    Screen("slb1", "traject", "/trajecten/{t2}/"),
    Screen("duo1", "start", "/"),
    # School leader and coordinator.
    Screen("schoolleider1", "start", "/"),
    Screen("schoolleider1", "trajecten", "/trajecten/"),
    Screen("coordinator", "start", "/"),
    Screen("coordinator", "trajecten", "/trajecten/"),
    # College teacher and assessors (their pages come with bekwaamheid).
    Screen("docent1", "start", "/"),
    Screen("assessor-veld", "start", "/"),
    # Pages without a role.
    Screen("coordinator", "privacy", "/privacy/"),
]

# Accounts whose screens the tour test also checks at phone width (`make screenshots`
# photographs every account at both widths). Side-entrants log progress from their phones.
PHONE_ACCOUNTS = {ANONYMOUS, "zijinstromer1", "zijinstromer2", "coach1"}


def placeholders() -> dict[str, object]:
    """Values for the {placeholders} in SCREENS paths, read from the demo data."""
    from trajecten.models import Traject

    values: dict[str, object] = {}
    for n in range(1, 5):
        traject = Traject.objects.filter(zij_instromer__email=f"zijinstromer{n}@lev.test").first()
        if traject is not None:
            values[f"t{n}"] = traject.pk
    return values


def accounts() -> list[str]:
    """The accounts that have screens, in the order of SCREENS."""
    return list(dict.fromkeys(s.account for s in SCREENS))


def screens_for(account: str) -> list[Screen]:
    return [s for s in SCREENS if s.account == account]


def email(account: str) -> str:
    return f"{account}@lev.test"
