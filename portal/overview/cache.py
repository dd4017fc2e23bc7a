"""The overviews' figures, cached per partnership and kept fresh by a version counter.

Counting 2,000 trajecten with their conversations, reports, signals and Proeven takes a few
hundred milliseconds of SQL; the figures change only when someone writes. So the figures of
an overview (and of its signals page) are cached in the shared cache (Redis in production)
under a key that holds:

- what was asked: the kind of overview, the scope (the partnership, or the school leader's
  schools), the filters, the page, today's date (what is overdue moves with the day);
- the *version* of every partnership in the scope. Any write to data the figures count
  (trajecten, conversations, reports, signals, role changes, intake, plans, Proeven, schools)
  bumps the version of that partnership, at once and again when the transaction commits, so
  the next visit computes afresh. Writes that bypass model signals (`QuerySet.update`,
  `bulk_create`) call `touch()` or `touch_trajecten()`.

The same receivers keep each traject's stored figures (Traject.fig_*: last and previous
koers, Proeve result, coach/SLB changes) by running refresh_traject_figures for the traject
a written report, conversation, Proeve or role assignment belongs to.

Entries also expire after `TTL` seconds, which bounds how long anything missed can show (a
traject moved to a school of another partnership bumps only the new partnership).
The scope is set by role alone (a coordinator sees every traject of the partnership, a school
leader every traject of their schools), so people with the same scope share an entry; the
access layer still decides the scope. When the cache is down (portal.cache degrades), every
visit computes the figures itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from portal import counters

T = TypeVar("T")

TTL = 300
_VERSION = "ov:v:{}"


def _version_key(partnerschap_id: int) -> str:
    return _VERSION.format(partnerschap_id)


def versions(partnerschap_ids: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """The current version of each partnership (portal.counters)."""
    ids = sorted({int(i) for i in partnerschap_ids if i is not None})
    found = counters.versions(_version_key(i) for i in ids)
    return tuple((pk, found[_version_key(pk)]) for pk in ids)


def bump(partnerschap_ids: Iterable[int]) -> None:
    """Make every cached figure of these partnerships stale."""
    counters.bump(_version_key(pk) for pk in {int(i) for i in partnerschap_ids if i is not None})


def touch(partnerschap_ids: Iterable[int]) -> None:
    """Bump these partnerships now and again once the current transaction commits."""
    ids = {int(i) for i in partnerschap_ids if i is not None}
    if ids:
        counters.now_and_after_commit(lambda: bump(ids))


def refresh(traject_ids: Iterable[int]) -> None:
    """Store the figures of these trajecten now (this transaction sees its own write) and
    again after commit (a concurrent write to the same traject is then visible too)."""
    from .figures import refresh_traject_figures  # noqa: PLC0415

    ids = sorted({int(i) for i in traject_ids if i is not None})
    if ids:
        counters.now_and_after_commit(lambda: refresh_traject_figures(ids))


def touch_trajecten(traject_ids: Iterable[int]) -> None:
    """For writes that send no model signals (`QuerySet.update`, `bulk_create`): store the
    figures of these trajecten again and bump their partnerships."""
    from portal import pagecache  # noqa: PLC0415
    from trajecten.models import Traject  # noqa: PLC0415

    ids = [int(i) for i in traject_ids]
    if ids:
        refresh(ids)
        rows = list(
            Traject.objects.filter(pk__in=ids).values_list("pk", "school__bestuur__partnerschap_id")
        )
        touch({p for _t, p in rows})
        pagecache.bump_trajecten(ids, [p for _t, p in rows])  # the pages too


def key_for(parts: Iterable[Any], partnerschap_ids: Iterable[int]) -> str:
    """A cache key for `parts` at the partnerships' current versions."""
    return (
        "ov:"
        + hashlib.sha256(repr((tuple(parts), versions(partnerschap_ids))).encode()).hexdigest()
    )


def cached(parts: Iterable[Any], partnerschap_ids: Iterable[int], compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for the same `parts` and partnership versions."""
    key = key_for(parts, partnerschap_ids)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TTL)
    return value


# --- What makes figures stale -------------------------------------------------------------

#: model label -> the path from that model to its partnership's id.
WATCHED = {
    "trajecten.Traject": "school__bestuur__partnerschap_id",
    "trajecten.Roltoewijzing": "traject__school__bestuur__partnerschap_id",
    "trajecten.Geschiktheidsonderzoek": "traject__school__bestuur__partnerschap_id",
    "trajecten.Scholingsplanversie": "plan__traject__school__bestuur__partnerschap_id",
    "trajecten.Instemming": "versie__plan__traject__school__bestuur__partnerschap_id",
    "gesprekken.Gesprek": "traject__school__bestuur__partnerschap_id",
    "gesprekken.Verslag": "gesprek__traject__school__bestuur__partnerschap_id",
    "gesprekken.Signaal": "verslag__gesprek__traject__school__bestuur__partnerschap_id",
    "gesprekken.SignaalTag": "partnerschap_id",
    "bekwaamheid.Proeve": "dossier__traject__school__bestuur__partnerschap_id",
    "portal.School": "bestuur__partnerschap_id",
    "portal.Schoolbestuur": "partnerschap_id",
}

#: model label -> the path to the traject whose stored figures (fig_* columns) it feeds.
FIGURE_SOURCES = {
    "trajecten.Roltoewijzing": "traject_id",
    "gesprekken.Gesprek": "traject_id",
    "gesprekken.Verslag": "gesprek__traject_id",
    "bekwaamheid.Proeve": "dossier__traject_id",
}

_PENDING_DELETE = "_lev_overview_pending"


def _affected(model, pk) -> tuple[list[int], list[int]]:
    """The partnerships and (for figure sources) the trajecten a row of `model` belongs to,
    in one query."""
    label = model._meta.label
    paths = [WATCHED[label]]
    if label in FIGURE_SOURCES:
        paths.append(FIGURE_SOURCES[label])
    rows = list(model._default_manager.filter(pk=pk).values_list(*paths))
    partnerschappen = [row[0] for row in rows]
    trajecten = [row[1] for row in rows] if len(paths) > 1 else []
    return partnerschappen, trajecten


def _apply(partnerschappen: list[int], trajecten: list[int]) -> None:
    if trajecten:
        refresh(trajecten)
    touch(partnerschappen)


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata
        return
    _apply(*_affected(sender, instance.pk))


def _before_delete(sender, instance, **kwargs) -> None:
    setattr(instance, _PENDING_DELETE, _affected(sender, instance.pk))


def _on_delete(sender, instance, **kwargs) -> None:
    _apply(*getattr(instance, _PENDING_DELETE, ([], [])))


def _on_tags(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        from gesprekken.models import Signaal  # noqa: PLC0415

        if isinstance(instance, Signaal):
            touch(_affected(Signaal, instance.pk)[0])


def connect() -> None:
    """Connect the receivers (portal.apps.PortalConfig.ready)."""
    from django.apps import apps  # noqa: PLC0415

    for label in WATCHED:
        model = apps.get_model(label)
        uid = f"overview-cache-{label}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    signaal = apps.get_model("gesprekken.Signaal")
    m2m_changed.connect(
        _on_tags, sender=signaal.tags.through, dispatch_uid="overview-cache-signaal-tags"
    )
