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
    Screen("zijinstromer1", "logboek", "/trajecten/{t1}/logboek/"),
    Screen("zijinstromer1", "scholingsplan", "/trajecten/{t1}/scholingsplan/"),
    Screen("zijinstromer1", "gesprekken", "/gesprekken/traject/{t1}/"),
    Screen("zijinstromer1", "gesprek", "/gesprekken/{g1}/"),
    Screen("zijinstromer1", "dossier", "/bekwaamheid/traject/{t1}/"),
    Screen("zijinstromer1", "onderzoeksopdracht", "/bekwaamheid/werk/{w1}/"),
    Screen("zijinstromer1", "meldingen", "/meldingen/"),
    Screen("zijinstromer1", "instellingen", "/instellingen/"),
    Screen("zijinstromer2", "start", "/"),
    # Coach, study-career supervisor, buddy.
    Screen("coach1", "start", "/"),
    Screen("coach1", "mijn-zij-instromers", "/trajecten/mijn/"),
    Screen("coach1", "traject", "/trajecten/{t1}/"),
    Screen("coach1", "gesprekken", "/gesprekken/"),
    Screen("coach1", "gesprek", "/gesprekken/{g1}/"),
    Screen("slb1", "start", "/"),
    Screen("slb1", "traject", "/trajecten/{t2}/"),
    Screen("slb1", "agenda", "/gesprekken/agenda/"),
    Screen("slb1", "gesprekken-traject", "/gesprekken/traject/{t2}/"),
    Screen("duo1", "start", "/"),
    # School leader and coordinator.
    Screen("schoolleider1", "start", "/"),
    Screen("schoolleider1", "trajecten", "/trajecten/"),
    Screen("schoolleider1", "mijn-school", "/mijn-school/"),
    Screen("schoolleider1", "mijn-school-aandacht", "/mijn-school/aandacht/"),
    Screen("schoolleider1", "mijn-school-trajecten", "/mijn-school/trajecten/"),
    Screen("coordinator", "start", "/"),
    Screen("coordinator", "trajecten", "/trajecten/"),
    Screen("coordinator", "overzicht", "/overzicht/"),
    Screen("coordinator", "overzicht-aandacht", "/overzicht/aandacht/"),
    Screen("coordinator", "overzicht-trajecten", "/overzicht/trajecten/"),
    Screen("coordinator", "signalen", "/overzicht/signalen/"),
    Screen("coordinator", "traject-wijzigen", "/trajecten/{verlengd}/wijzigen/"),
    Screen("coordinator", "traject-verlengd", "/trajecten/{verlengd}/"),
    Screen("coordinator", "traject-gestopt", "/trajecten/{gestopt}/"),
    Screen("coordinator", "traject-gestopt-wijzigen", "/trajecten/{gestopt}/wijzigen/"),
    Screen("coordinator", "inzageverzoeken", "/mensen/{zi1}/inzage/"),
    Screen("coordinator", "inzageverzoek", "/mensen/{zi1}/inzage/{inzage}/"),
    Screen("coordinator", "mensen", "/mensen/"),
    Screen("coordinator", "startbijeenkomsten", "/startbijeenkomsten/"),
    Screen("coordinator", "proeven", "/bekwaamheid/proeven/"),
    # College teacher and assessors.
    Screen("docent1", "start", "/"),
    Screen("docent1", "opdrachten", "/bekwaamheid/opdrachten/"),
    Screen("assessor-veld", "start", "/"),
    Screen("assessor-veld", "proeven", "/bekwaamheid/proeven/"),
    Screen("assessor-veld", "proeve", "/bekwaamheid/proeven/{p2}/"),
    # Pages without a role.
    Screen("coordinator", "privacy", "/privacy/"),
]

# Accounts whose screens the tour test also checks at phone width (`make screenshots`
# photographs every account at both widths). Side-entrants log progress from their phones.
PHONE_ACCOUNTS = {ANONYMOUS, "zijinstromer1", "zijinstromer2", "coach1"}


def placeholders() -> dict[str, object]:
    """Values for the {placeholders} in SCREENS paths, read from the demo data:
    {t1}..{t4} the trajecten of zijinstromer1..4, {g1} a conversation of traject 1 with a
    report, {w1} a research assignment of traject 1, {p2} the Proeve of traject 2,
    {verlengd} and {gestopt} the demo's extended and stopped trajecten, {zi1} and {inzage}
    Sanne's account and her formal request for access. A value whose model
    or demo data is missing stays out (its pages are skipped)."""
    from django.apps import apps

    def first(model: str, **filters):
        try:
            return apps.get_model(model).objects.filter(**filters).order_by("pk").first()
        except LookupError:
            return None

    found = {
        f"t{n}": first("trajecten.Traject", zij_instromer__email=f"zijinstromer{n}@lev.test")
        for n in range(1, 5)
    }
    found["g1"] = first("gesprekken.Gesprek", traject=found["t1"], verslag__isnull=False) or first(
        "gesprekken.Gesprek", traject=found["t1"]
    )
    found["w1"] = first("bekwaamheid.Onderzoeksopdracht", dossier__traject=found["t1"])
    found["p2"] = first("bekwaamheid.Proeve", dossier__traject=found["t2"])
    # The demo's extended and stopped trajecten (portal.demo_overview).
    found["verlengd"] = first("trajecten.Traject", zij_instromer__email="eline.vermeulen@lev.test")
    found["gestopt"] = first("trajecten.Traject", zij_instromer__email="ruben.janssen@lev.test")
    found["zi1"] = first("portal.User", email="zijinstromer1@lev.test")
    found["inzage"] = first("portal.Inzageverzoek", persoon__email="zijinstromer1@lev.test")
    return {key: obj.pk for key, obj in found.items() if obj is not None}


def resolve(screen: Screen, values: dict[str, object]) -> str | None:
    """The screen's path with its placeholders filled in; None when a value is missing."""
    try:
        return screen.path.format(**values)
    except KeyError:
        return None


def accounts() -> list[str]:
    """The accounts that have screens, in the order of SCREENS."""
    return list(dict.fromkeys(s.account for s in SCREENS))


def screens_for(account: str) -> list[Screen]:
    return [s for s in SCREENS if s.account == account]


def email(account: str) -> str:
    return f"{account}@lev.test"
