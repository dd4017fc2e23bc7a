"""Server-rendered SVG charts: horizontal (stacked) bars and (stacked) columns.

No JavaScript and no style attributes (the CSP allows neither inline): colours and text
sizes are SVG presentation attributes. Every chart is an accessible image
(role="img", a <title> and a <desc> that reads out every value); the pages also show the
numbers in a table next to or below the chart. The viewBox scales with its container, and
the sizes are chosen so that text stays legible at a 390px phone width.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 400
FONT = 14
SMALL = 13
TEXT = "#212529"
MUTED = "#495057"
GRID = "#ced4da"
ACCENT = "#0b5d6b"

# At least 3:1 against white (WCAG 1.4.11), and apart in lightness as well as hue.
GREEN = "#146c43"
ORANGE = "#a85400"
RED = "#8b1a2b"
PURPLE = "#5a3d99"


@dataclass
class Series:
    name: str
    color: str


@dataclass
class Item:
    """One bar or column: a label and one value per series; `note` is the text shown at the
    end of the bar (defaults to the total)."""

    label: str
    values: list[float] = field(default_factory=list)
    note: str | None = None
    sublabel: str = ""

    @property
    def total(self) -> float:
        return sum(v or 0 for v in self.values)

    @property
    def text(self) -> str:
        return self.note if self.note is not None else _number(self.total)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _describe(items: list[Item], series: list[Series]) -> str:
    parts = []
    for item in items:
        label = f"{item.label} {item.sublabel}".strip()
        if len(series) > 1:
            values = ", ".join(
                f"{s.name} {_number(v or 0)}" for s, v in zip(series, item.values, strict=False)
            )
            parts.append(f"{label}: {values}")
        else:
            parts.append(f"{label}: {item.text}")
    return "; ".join(parts)


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: list[str]):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="lev-svg d-block w-100" '
        'viewBox="0 0 {} {}" preserveAspectRatio="xMinYMin meet" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false" font-family="system-ui, '
        '-apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        mark_safe("".join(body)),  # built from escaped parts below
    )


def _text(x, y, content, *, size=FONT, anchor="start", color=TEXT, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{color}" font-weight="{weight}">{escape(content)}</text>'
    )


def _legend(series: list[Series], y: float, width: int) -> tuple[list[str], float]:
    """Legend items left to right, wrapping; returns the parts and the height used."""
    parts, x, line = [], 0.0, 0
    for s in series:
        item_width = 22 + len(s.name) * 7.6
        if x and x + item_width > width:
            x, line = 0.0, line + 1
        top = y + line * 20
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="12" height="12" fill="{s.color}"/>'
            + _text(x + 17, top + 11, s.name, size=SMALL)
        )
        x += item_width + 12
    return parts, (line + 1) * 20 if series else 0


def bar_chart(
    *,
    chart_id: str,
    title: str,
    items: list[Item],
    series: list[Series] | None = None,
    max_value: float | None = None,
    label_width: int = 150,
    labels_above: bool = False,
    desc: str | None = None,
) -> SafeString:
    """Horizontal bars, one per item, stacked when items have several values. Segments wide
    enough carry their number in white, so the chart reads without telling colours apart.
    With `labels_above` each label gets its own line above its bar (long names, full width
    bars on a phone); otherwise labels sit left of the bars in `label_width`."""
    series = series or [Series("", ACCENT)]
    top = 0.0
    body: list[str] = []
    if len(series) > 1:
        legend, used = _legend(series, 0, WIDTH)
        body += legend
        top = used + 6
    bar_h = 18
    label_h = 18 if labels_above else 0
    row_h = bar_h + label_h + 10
    bar_x = 1 if labels_above else label_width + 8
    bar_w = WIDTH - bar_x - 40
    scale_max = max_value or max((i.total for i in items), default=0) or 1
    for index, item in enumerate(items):
        y = top + index * row_h + label_h
        if labels_above:
            short = _shorten(item.label, int(WIDTH / 7.9))
            label = _text(0, y - 5, short)
        else:
            short = _shorten(item.label, int(label_width / 7.9))
            label = _text(bar_x - 8, y + bar_h - 4, short, anchor="end")
        if short != item.label:
            label = f"<g><title>{escape(item.label)}</title>{label}</g>"
        body.append(label)
        x = float(bar_x)
        for s, value in zip(series, item.values, strict=False):
            w = bar_w * (value or 0) / scale_max
            if w <= 0:
                continue
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{s.color}"><title>{escape(f"{item.label}, {s.name}".strip(", "))}: '
                f"{_number(value)}</title></rect>"
            )
            if len(series) > 1 and w >= 20:
                body.append(
                    _text(
                        x + w / 2,
                        y + bar_h - 5,
                        _number(value),
                        size=SMALL,
                        anchor="middle",
                        color="#ffffff",
                        weight="bold",
                    )
                )
            x += w
        body.append(_text(x + 5, y + bar_h - 4, item.text, weight="bold"))
    height = top + max(len(items), 1) * row_h + 4
    if not labels_above:
        body.append(
            f'<line x1="{bar_x}" y1="{top - 2:.1f}" x2="{bar_x}" y2="{height - 4:.1f}" '
            f'stroke="{MUTED}" stroke-width="1"/>'
        )
    return _svg(chart_id, WIDTH, int(height), title, desc or _describe(items, series), body)


def column_chart(
    *,
    chart_id: str,
    title: str,
    items: list[Item],
    series: list[Series] | None = None,
    max_value: float | None = None,
    unit: str = "",
    desc: str | None = None,
) -> SafeString:
    """Vertical columns (stacked when items have several values) with the note on top, a
    light grid at 0, 50 and 100% of the scale, and two-line labels below (label, sublabel).
    An item without values shows its note ("–") and no column."""
    series = series or [Series("", ACCENT)]
    body: list[str] = []
    top = 0.0
    if len(series) > 1:
        legend, used = _legend(series, 0, WIDTH)
        body += legend
        top = used + 4
    axis_w = 40
    plot_top, plot_h = top + 18, 150
    base = plot_top + plot_h
    scale_max = max_value or max((i.total for i in items), default=0) or 1
    for fraction in (0, 0.5, 1):
        y = base - plot_h * fraction
        body.append(
            f'<line x1="{axis_w}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="1"/>'
        )
        body.append(
            _text(
                axis_w - 5,
                y + 4,
                f"{_number(scale_max * fraction)}{unit}",
                size=SMALL,
                anchor="end",
                color=MUTED,
            )
        )
    slot = (WIDTH - axis_w) / max(len(items), 1)
    col_w = min(34.0, slot * 0.6)
    for index, item in enumerate(items):
        cx = axis_w + slot * index + slot / 2
        y = base
        for s, value in zip(series, item.values, strict=False):
            h = plot_h * (value or 0) / scale_max
            if h <= 0:
                continue
            y -= h
            body.append(
                f'<rect x="{cx - col_w / 2:.1f}" y="{y:.1f}" width="{col_w:.1f}" '
                f'height="{h:.1f}" fill="{s.color}"><title>'
                f"{escape(f'{item.label} {item.sublabel}'.strip())}"
                f"{escape(', ' + s.name if s.name else '')}: {_number(value)}{unit}"
                "</title></rect>"
            )
        body.append(_text(cx, y - 5, item.text, size=SMALL, anchor="middle", weight="bold"))
        body.append(_text(cx, base + 16, item.label, size=SMALL, anchor="middle"))
        if item.sublabel:
            body.append(
                _text(cx, base + 31, item.sublabel, size=SMALL, anchor="middle", color=MUTED)
            )
    height = base + (36 if any(i.sublabel for i in items) else 22)
    return _svg(chart_id, WIDTH, int(height), title, desc or _describe(items, series), body)
