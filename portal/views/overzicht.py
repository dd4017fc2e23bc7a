"""The overviews: the coordinator's (the partnership, by board and school) and the school
leader's (their own schools), the signals from the conversations, and their CSV exports.

Each page exists twice, once per role, with the same template; the scope (which trajecten)
comes from portal.overview.scope and answers 404 to anyone without the role.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gesprekken.models import Signaal

from .. import audit, charts, exports
from ..overview import figures as fg
from ..overview import pages
from ..overview.scope import (
    COORDINATOR,
    SCHOOLLEIDER,
    Scope,
    coordinator_scope,
    schoolleider_scope,
)
from ..overview.signalen import NO_TAG, filter_signalen, quotes, signalen_of

URLS = {
    COORDINATOR: {
        "overview": "portal:overzicht",
        "aandacht": "portal:overzicht_aandacht",
        "trajecten": "portal:overzicht_trajecten",
        "signalen": "portal:overzicht_signalen",
        "citaten": "portal:overzicht_citaten",
        "export": "portal:overzicht_export",
        "signalen_export": "portal:overzicht_signalen_export",
    },
    SCHOOLLEIDER: {
        "overview": "portal:school_overzicht",
        "aandacht": "portal:school_aandacht",
        "trajecten": "portal:school_trajecten",
        "signalen": "portal:school_signalen",
        "citaten": "portal:school_citaten",
        "export": "portal:school_export",
        "signalen_export": "portal:school_signalen_export",
    },
}
QUOTES_PER_PAGE = 50


def _scope(request, kind: str) -> Scope:
    if kind == COORDINATOR:
        return coordinator_scope(request.user, request.GET.get("partnerschap"))
    return schoolleider_scope(request.user)


#: The query parameters the overview pages read; others do not change what they show.
PARAMS = (
    "partnerschap",
    "bestuur",
    "school",
    "route",
    "cohort",
    "fase",
    "soort",
    "periode",
    "tag",
    "page",
)


def _query(request, drop=("page",), **changes) -> str:
    """The current query string with `changes` applied (None removes a key); parameters
    the pages do not read are left out."""
    params = {k: v for k, v in request.GET.items() if k in PARAMS and k not in drop and v}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params) if params else "?"


#: The tabs that share the overview's filters (and carry them from one to the other).
OVERVIEW_TABS = ("overview", "aandacht", "trajecten")


def _urls(request, kind: str, tab: str = "") -> dict[str, str]:
    """The pages of this overview; exports carry the current filters, and so do the
    overview's own tabs among themselves; the other pages only the partnership (for a
    coordinator of more than one)."""
    filters = _query(request)
    partnerschap = request.GET.get("partnerschap", "")
    keep = "?" + urlencode({"partnerschap": partnerschap}) if partnerschap else ""

    def carries(key: str) -> bool:
        return key.endswith("export") or (tab in OVERVIEW_TABS and key in OVERVIEW_TABS)

    return {
        key: reverse(name) + (filters if carries(key) else keep) for key, name in URLS[kind].items()
    }


# --- Charts -------------------------------------------------------------------------------


def _stage_chart(total: fg.Figures):
    stages = total.stages
    items = [charts.Item(str(label), [stages[value]]) for value, label in fg.Stage.choices]
    return charts.bar_chart(
        chart_id="chart-stage", title=_("Zij-instromers per fase"), items=items, label_width=110
    )


def _on_time_chart(quarters: list[dict]):
    items = [
        charts.Item(
            _("K%(q)s") % {"q": q["quarter"].quarter},
            [q["pct"]] if q["pct"] is not None else [],
            note=f"{q['pct']}%" if q["pct"] is not None else "–",
            sublabel=str(q["quarter"].year),
        )
        for q in quarters
    ]
    desc = "; ".join(
        _("%(quarter)s: %(pct)s op tijd (%(on_time)s van %(counted)s)")
        % {
            "quarter": q["quarter"].label,
            "pct": f"{q['pct']}%" if q["pct"] is not None else _("geen gesprekken"),
            "on_time": q["on_time"],
            "counted": q["counted"],
        }
        for q in quarters
    )
    return charts.column_chart(
        chart_id="chart-on-time",
        title=_("Verslagen op tijd ondertekend, per kwartaal"),
        items=items,
        max_value=100,
        unit="%",
        desc=desc,
    )


KOERS_SERIES = [
    (fg.KOERS.OP_KOERS, charts.GREEN),
    (fg.KOERS.AANDACHT, charts.ORANGE),
    (fg.KOERS.UIT_KOERS, charts.RED),
]


# More boards or schools than this and the chart shows the total: two hundred bars help
# nobody read a partnership (the table above has every row), and drew a third of the page.
CHART_GROUPS_MAX = 25


def _koers_chart(groups: list[pages.Group], total: fg.Figures, level: str):
    series = [charts.Series(str(k.label), color) for k, color in KOERS_SERIES]
    if len(groups) > CHART_GROUPS_MAX:
        groups, level = [], None
    rows = groups if groups else [pages.Group("total", None, total)]
    items = [
        charts.Item(
            g.obj.name if g.obj is not None else _("Totaal"),
            [g.figures.koers.get(k.value, 0) for k, _c in KOERS_SERIES],
        )
        for g in rows
    ]
    title = {
        pages.BY_BESTUUR: _("Laatste antwoord op 'Zitten wij nog op de goede weg?', per bestuur"),
        pages.BY_SCHOOL: _("Laatste antwoord op 'Zitten wij nog op de goede weg?', per school"),
    }.get(level, _("Laatste antwoord op 'Zitten wij nog op de goede weg?'"))
    return charts.bar_chart(
        chart_id="chart-koers", title=title, items=items, series=series, labels_above=True
    )


SIGNAAL_SERIES = [
    (Signaal.Soort.BELEMMERING, charts.RED),
    (Signaal.Soort.ONDERSTEUNINGSBEHOEFTE, charts.PURPLE),
    (Signaal.Soort.SUCCES, charts.GREEN),
]


# Column headings that fit half a page: "Ondersteuningsbehoefte" is one long word.
SHORT = {Signaal.Soort.ONDERSTEUNINGSBEHOEFTE.value: _lazy("Ondersteuning")}


def _tags_chart(tags: list[dict]):
    series = [charts.Series(str(s.label), color) for s, color in SIGNAAL_SERIES]
    items = [
        charts.Item(
            row["name"] or _("(zonder tag)"),
            [row["counts"].counts[s.value] for s, _c in SIGNAAL_SERIES],
        )
        for row in tags
    ]
    return charts.bar_chart(
        chart_id="chart-tags",
        title=_("Signalen per tag"),
        items=items,
        series=series,
        labels_above=True,
    )


def _signalen_chart(quarters: list[dict]):
    series = [charts.Series(str(s.label), color) for s, color in SIGNAAL_SERIES]
    items = [
        charts.Item(
            _("K%(q)s") % {"q": q["quarter"].quarter},
            [q["counts"].counts[s.value] for s, _c in SIGNAAL_SERIES],
            sublabel=str(q["quarter"].year),
        )
        for q in quarters
    ]
    return charts.column_chart(
        chart_id="chart-signalen", title=_("Signalen per kwartaal"), items=items, series=series
    )


# --- Overview -----------------------------------------------------------------------------


def _overview(request, kind: str, extra: dict | None = None):
    """The overview's figures tab; `extra` adds more context."""
    scope = _scope(request, kind)
    today = timezone.localdate()
    page = pages.overview_page(scope, request.GET, today)
    for group in page.groups:
        if group.kind == pages.BY_BESTUUR:
            group.url = _query(request, bestuur=group.obj.pk, school=None)
        else:
            group.url = _query(request, school=group.obj.pk)
    context = {
        "scope": scope,
        "kind": kind,
        "p": page,
        "today": today,
        "urls": _urls(request, kind, "overview"),
        "on_time_days": fg.ON_TIME_DAYS,
        "stage_chart": _stage_chart(page.total),
        "on_time_chart": _on_time_chart(page.quarters),
        "koers_chart": _koers_chart(page.groups, page.total, page.level),
        "stage_rows": [
            {
                "value": value,
                "label": label,
                "routes": [page.total.stage_route.get((value, r), 0) for r in fg.Traject.Route],
                "total": page.total.stages[value],
            }
            for value, label in fg.Stage.choices
        ],
        "routes": fg.Traject.Route.choices,
        "route_totals": [page.total.routes[r] for r in fg.Traject.Route],
        "proeve_labels": fg.ProeveResult.LABELS,
        "crumbs": _crumbs(request, kind, scope, page.bestuur, page.school),
        **(extra or {}),
    }
    return render(request, "portal/overzicht/overzicht.html", context)


def _aandacht(request, kind: str):
    """The overview's attention tab: who needs a call, and the reports overdue."""
    scope = _scope(request, kind)
    today = timezone.localdate()
    page = pages.aandacht_page(scope, request.GET, today)
    context = {
        "scope": scope,
        "kind": kind,
        "p": page,
        "today": today,
        "urls": _urls(request, kind, "aandacht"),
        "on_time_days": fg.ON_TIME_DAYS,
        "list_limit": pages.LIST_LIMIT,
        "crumbs": _crumbs(request, kind, scope, page.bestuur, page.school),
    }
    return render(request, "portal/overzicht/aandacht.html", context)


def _trajecten(request, kind: str):
    """The overview's trajecten tab: a page of trajecten with their figures."""
    scope = _scope(request, kind)
    today = timezone.localdate()
    page = pages.trajecten_page(scope, request.GET, today, request.GET.get("page"))
    context = {
        "scope": scope,
        "kind": kind,
        "p": page,
        "urls": _urls(request, kind, "trajecten"),
        "crumbs": _crumbs(request, kind, scope, page.bestuur, page.school),
        "page_query": _query(request, drop=("page",)),
    }
    return render(request, "portal/overzicht/trajecten.html", context)


def _crumbs(request, kind: str, scope: Scope, bestuur, school) -> list[dict]:
    """Breadcrumbs of the drill-down: the whole scope, the board, the school."""
    if kind == COORDINATOR:
        top = scope.partnerschap.name
    else:
        top = _("Mijn scholen")
    crumbs = [{"label": top, "url": _query(request, bestuur=None, school=None)}]
    board = bestuur or (school.bestuur if school else None)
    if board is not None and kind == COORDINATOR:
        crumbs.append({"label": board.name, "url": _query(request, bestuur=board.pk, school=None)})
    if school is not None:
        crumbs.append({"label": school.name, "url": None})
    crumbs[-1]["url"] = None
    return crumbs


@login_required
def overzicht(request):
    """The coordinator's overview of the partnership: by board, school and traject."""
    return _overview(request, COORDINATOR)


@login_required
def school_overzicht(request):
    """The school leader's overview of their own schools, and the plans awaiting them."""
    extra = {"to_agree": list(pages.plans_awaiting_school(request.user))}
    return _overview(request, SCHOOLLEIDER, extra)


@login_required
def overzicht_aandacht(request):
    """The coordinator's attention tab."""
    return _aandacht(request, COORDINATOR)


@login_required
def school_aandacht(request):
    """The school leader's attention tab (own schools)."""
    return _aandacht(request, SCHOOLLEIDER)


@login_required
def overzicht_trajecten(request):
    """The coordinator's trajecten tab."""
    return _trajecten(request, COORDINATOR)


@login_required
def school_trajecten(request):
    """The school leader's trajecten tab (own schools)."""
    return _trajecten(request, SCHOOLLEIDER)


# --- Signals ------------------------------------------------------------------------------


def _signalen(request, kind: str):
    """The signals page."""
    scope = _scope(request, kind)
    today = timezone.localdate()
    context = {
        "scope": scope,
        "kind": kind,
        **_signalen_context(request, kind, scope, today),
    }
    return render(request, "portal/overzicht/signalen.html", context)


def _signalen_context(request, kind: str, scope: Scope, today) -> dict:
    page = pages.signalen_page(scope, request.GET, today)
    citaten = reverse(URLS[kind]["citaten"])
    soorten = [s.value for s, _c in SIGNAAL_SERIES]

    def cells(counts, **changes) -> dict:
        """The numbers of one row, each with the link to its quotes: per kind, then total."""
        return {
            "soorten": [
                {"n": counts.counts[s], "url": citaten + _query(request, **changes, soort=s)}
                for s in soorten
            ],
            "total": {"n": counts.total, "url": citaten + _query(request, **changes)},
        }

    for row in page.tags:
        row["cells"] = cells(row["counts"], tag=row["tag_id"] or NO_TAG)
    for group in page.groups:
        key = "bestuur" if group["kind"] == pages.BY_BESTUUR else "school"
        group["cells"] = cells(group["counts"], **{key: group["obj"].pk})
        group["url"] = _query(request, **{key: group["obj"].pk})
    for q in page.quarters:
        q["cells"] = cells(q["counts"], periode=q["quarter"].key)
    return {
        "p": page,
        "urls": _urls(request, kind),
        "soorten": [(s.value, SHORT.get(s.value, s.label), s.label) for s, _c in SIGNAAL_SERIES],
        "total_cards": [
            {"value": s.value, "label": s.label, **cell}
            for (s, _c), cell in zip(SIGNAAL_SERIES, cells(page.total)["soorten"], strict=True)
        ],
        "chart": _signalen_chart(page.quarters),
        "tags_chart": _tags_chart(page.tags),
        "crumbs": _crumbs(
            request,
            kind,
            scope,
            page.form.besturen.get(page.filters["bestuur"]),
            page.form.schools.get(page.filters["school"]),
        ),
    }


@login_required
def overzicht_signalen(request):
    """Obstacles, support needs and successes across the partnership."""
    return _signalen(request, COORDINATOR)


@login_required
def school_signalen(request):
    """Obstacles, support needs and successes at the school leader's schools."""
    return _signalen(request, SCHOOLLEIDER)


def _citaten(request, kind: str):
    scope = _scope(request, kind)
    today = timezone.localdate()
    form, filters, _schools = pages.signalen_filters(scope, request.GET, today)
    qs = quotes(filter_signalen(signalen_of(scope.trajecten), **filters))
    page = Paginator(qs, QUOTES_PER_PAGE).get_page(request.GET.get("page"))
    tag = filters["tag"]
    context = {
        "scope": scope,
        "kind": kind,
        "form": form,
        "page": page,
        "urls": _urls(request, kind),
        "back": reverse(URLS[kind]["signalen"]) + _query(request, soort=None),
        "page_query": _query(request, drop=("page",)),
        "chosen": {
            "soort": dict(Signaal.Soort.choices).get(filters["soort"]),
            "tag": _("(zonder tag)") if tag == NO_TAG else form.tags.get(tag),
            "school": form.schools.get(filters["school"]),
            "bestuur": form.besturen.get(filters["bestuur"]),
            "quarter": filters["quarter"],
        },
    }
    return render(request, "portal/overzicht/citaten.html", context)


@login_required
def overzicht_citaten(request):
    """The quotes behind a count of signals (coordinator)."""
    return _citaten(request, COORDINATOR)


@login_required
def school_citaten(request):
    """The quotes behind a count of signals (school leader, own schools)."""
    return _citaten(request, SCHOOLLEIDER)


# --- Exports (personal data: re-authentication and audit) ---------------------------------


def _export_filters(filters: dict) -> dict:
    return {
        k: (v.isoformat() if hasattr(v, "isoformat") else getattr(v, "key", v))
        for k, v in filters.items()
        if v
    }


@reauthentication_required
def _overview_export(request, scope: Scope):
    today = timezone.localdate()
    rows, filters = pages.overview_export(scope, request.GET, today)
    rows = list(rows)
    audit.record(
        action="export.overview",
        actor=request.user,
        obj=scope.partnerschap,
        request=request,
        detail={"scope": scope.kind, "filters": _export_filters(filters), "rows": len(rows)},
    )
    return exports.overview_csv(rows, today, f"lev-overzicht-{today:%Y-%m-%d}.csv")


@reauthentication_required
def _signalen_export(request, scope: Scope):
    today = timezone.localdate()
    _form, filters, _schools = pages.signalen_filters(scope, request.GET, today)
    rows = list(quotes(filter_signalen(signalen_of(scope.trajecten), **filters)))
    audit.record(
        action="export.signalen",
        actor=request.user,
        obj=scope.partnerschap,
        request=request,
        detail={"scope": scope.kind, "filters": _export_filters(filters), "rows": len(rows)},
    )
    return exports.signalen_csv(rows, f"lev-signalen-{today:%Y-%m-%d}.csv")


# The scope is checked first, so that someone without the role gets a 404 rather than a
# re-authentication prompt for a page they may not see.


@login_required
def overzicht_export(request):
    return _overview_export(request, _scope(request, COORDINATOR))


@login_required
def overzicht_signalen_export(request):
    return _signalen_export(request, _scope(request, COORDINATOR))


@login_required
def school_export(request):
    return _overview_export(request, _scope(request, SCHOOLLEIDER))


@login_required
def school_signalen_export(request):
    return _signalen_export(request, _scope(request, SCHOOLLEIDER))
