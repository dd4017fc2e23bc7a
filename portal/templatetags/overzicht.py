"""Template helpers of the overview pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def figure_cells(f) -> SafeString:
    """The number cells of one row of the per-board or per-school table (Figures `f`), in
    the order of the table's header. Written in Python: a partnership of two hundred boards
    has some 2,400 of these cells, which as template variables took a third of the page.
    Whole numbers without thousand separators (USE_THOUSAND_SEPARATOR is off), as the
    template printed them."""
    pct = f"{str(f.on_time_pct)}%" if f.on_time_pct is not None else "–"
    koers = f.koers
    cells = [
        str(f.n),
        pct,
        str(f.overdue),
        str(koers.get("op_koers", 0)),
        str(koers.get("aandacht", 0)),
        str(koers.get("uit_koers", 0)),
        str(f.koers_unknown),
        str(f.ends_soon),
        str(f.off_track_twice),
    ]
    plain = format_html_join("", '<td class="text-end">{}</td>', ((c,) for c in cells))
    proeve = f.proeve
    return format_html(
        '{}<td class="text-end text-nowrap">{} / {} / {}</td>'
        '<td class="text-end text-nowrap">{} / {}</td>',
        plain,
        str(proeve.get("voldoende", 0)),
        str(proeve.get("onvoldoende", 0)),
        str(proeve.get("lopend", 0)),
        str(f.coach_changes),
        str(f.slb_changes),
    )


@register.simple_tag
def signaal_cells(cells: dict, read_label: str) -> SafeString:
    """The count cells of one row of a signals table (per kind, then the total in bold),
    each count a link to its quotes: Python for the same reason as figure_cells (a
    partnership's two hundred boards make a thousand of them)."""

    def cell(n: int, url: str, css: str) -> SafeString:
        if not n:
            return format_html('<td class="{}">0</td>', css)
        return format_html(
            '<td class="{}"><a href="{}">{}<span class="visually-hidden"> {}</span></a></td>',
            css,
            url,
            str(n),
            read_label,
        )

    parts = [cell(c["n"], c["url"], "text-end") for c in cells["soorten"]]
    parts.append(cell(cells["total"]["n"], cells["total"]["url"], "text-end fw-bold"))
    return format_html_join("", "{}", ((p,) for p in parts))
