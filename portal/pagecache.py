"""Each person's main pages, cached whole and kept fresh by version counters.

A page such as a traject page reads a traject with its plan, log, conversations, dossier and
Proeve in some twenty queries and renders them: 25-60 ms, every time, although it changes
only when someone writes. `cached_page` keeps what the view rendered for a GET in the shared
cache (Redis), under a key that holds:

- who asked and what: the view, the full path with its query, the person, their name and
  e-mail (the navigation shows them), their unread count, the language and today's date;
- the version of the role summary (`roles:v`, bumped whenever anyone's roles change);
- the *version* of every traject and partnership the page is about, of the person
  (notifications, invitations, training records) and the global version (names of people,
  schools and boards, reference data such as the competence framework).

What a page is about comes from its *scope*: a function per view that asks the access layer
afresh on every request (one small query), so a hit is served only to someone who may see
it, and anything else goes to the view, which answers 404 as before. Every write to a model
that hangs beneath a traject bumps that traject and its partnership, at once and again after
commit (receivers on every model of the four apps; `touch_trajecten` for `QuerySet.update`
and `bulk_create`). `test_every_model_is_classified` keeps new models from being forgotten.

What differs per request is not cached: the CSRF token and one-time form tokens are stored
as placeholders and filled in fresh for every answer; a page with messages waiting (or that
adds one) is neither served from nor stored in the cache; only 200 HTML answers to GET are
stored. Entries also expire after `TTL` seconds, which bounds how long anything missed can
show, and how late a page shows what moves with the clock within a day (a conversation that
has just ended). Data changed behind the models' back (a restore, SQL by hand) needs
`forget_everything()`: `manage.py restore` and `manage.py refresh_figures` call it.

Without a cache shared by all workers (`portal.checks.cache_is_shared`) the setting
`LEV_PAGE_CACHE` is off by default: a bump in one process would not reach the others.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from . import counters

TTL = 300
FORMAT = 2  # of a stored entry; part of the key, so a new release never reads an old one
ROLES_VERSION = "roles:v"  # trajecten.access.ROLES_VERSION (kept in step by a test)
GLOBAL = "pg:g"
_TRAJECT = "pg:t:{}"
_PARTNERSCHAP = "pg:p:{}"
_USER = "pg:u:{}"

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_MARK = "\x00lev-csrf\x00"
_ONCE_MARK = "\x00lev-once\x00"
_MARKS = re.compile(f"{_CSRF_MARK}|{_ONCE_MARK}")


def _once_pattern() -> re.Pattern:
    from .once import FIELD  # noqa: PLC0415

    return re.compile(rf'(name="{FIELD}" value=")[0-9a-f]{{32}}(")')


@dataclass(frozen=True)
class Scope:
    """What a page shows: the trajecten and partnerships whose writes make it stale."""

    trajecten: tuple[int, ...] = ()
    partnerschappen: tuple[int, ...] = ()

    @classmethod
    def of_traject(cls, traject_id: int | None) -> Scope | None:
        """A page about one traject; None when the person may not see it. Its partnership
        is left out: any write beneath the traject bumps the traject itself, and a page
        about one traject should not go stale with every write in a partnership of
        thousands (names of schools and boards move the global version)."""
        return None if traject_id is None else cls(trajecten=(traject_id,))

    def keys(self) -> list[str]:
        return [_TRAJECT.format(t) for t in self.trajecten] + [
            _PARTNERSCHAP.format(p) for p in self.partnerschappen
        ]


def enabled() -> bool:
    return bool(getattr(settings, "LEV_PAGE_CACHE", False))


def _messages_waiting(request) -> bool:
    return len(get_messages(request)) > 0  # len() does not mark them as shown


def _key(request, view_name: str, scope: Scope) -> str:
    from .unread import unread_count, unread_key  # noqa: PLC0415

    user = request.user
    names = [ROLES_VERSION, GLOBAL, _USER.format(user.pk), *scope.keys()]
    fetched = cache.get_many([*names, unread_key(user.pk)])  # one round trip for all
    unread = fetched.get(unread_key(user.pk))
    found = counters.versions(names, fetched)
    parts = (
        FORMAT,
        view_name,
        request.get_full_path(),
        user.pk,
        user.get_full_name(),
        user.email,
        unread_count(user) if unread is None else unread,
        get_language(),
        timezone.localdate().isoformat(),
        tuple(found[name] for name in names),
    )
    return "pg:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _store(response: HttpResponse) -> tuple[str, list[bytes], list[str]]:
    """The page as bytes, split where a per-request token goes: (content type, the pieces,
    the kind of token after each piece but the last). Serving then only joins."""
    body = response.content.decode(response.charset or "utf-8")
    body = _CSRF.sub(lambda m: m.group(1) + _CSRF_MARK + m.group(2), body)
    body = _once_pattern().sub(lambda m: m.group(1) + _ONCE_MARK + m.group(2), body)
    pieces, kinds = [], []
    for match in _MARKS.finditer(body):
        kinds.append(match.group(0))
    for piece in _MARKS.split(body):
        pieces.append(piece.encode("utf-8"))
    return response["Content-Type"], pieces, kinds


def _serve(request, entry: tuple[str, list[bytes], list[str]]) -> HttpResponse:
    from .once import new_token  # noqa: PLC0415

    content_type, pieces, kinds = entry
    csrf = get_token(request).encode() if _CSRF_MARK in kinds else b""
    body = [pieces[0]]
    for kind, piece in zip(kinds, pieces[1:], strict=True):
        body.append(csrf if kind == _CSRF_MARK else new_token().encode())
        body.append(piece)
    response = HttpResponse(b"".join(body), content_type=content_type)
    response["X-Lev-Page-Cache"] = "hit"
    return response


def _cacheable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def cached_page(scope: Callable[..., Scope | None]):
    """Serve a GET view's page from the cache while nothing it shows has changed.

    `scope(request, *args, **kwargs)` asks the access layer what the page is about; it
    returns None when the person may not see it (the view then answers as it always does).
    """

    def decorator(view):
        view_name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                not enabled()
                or request.method != "GET"
                or not request.user.is_authenticated
                or _messages_waiting(request)
            ):
                return view(request, *args, **kwargs)
            found = scope(request, *args, **kwargs)
            if found is None:
                return view(request, *args, **kwargs)
            key = _key(request, view_name, found)
            entry = cache.get(key)
            if entry is not None:
                return _serve(request, entry)
            response = view(request, *args, **kwargs)
            if _cacheable(response) and not _messages_waiting(request):
                cache.set(key, _store(response), timeout=TTL)
            return response

        return wrapper

    return decorator


# --- Scopes: what a page is about, asked of the access layer on every request -------------


def traject_scope(kwarg: str = "pk"):
    """A page about one traject (URL argument `kwarg`)."""

    def scope(request, *args, **kwargs) -> Scope | None:
        from trajecten.access import traject_page  # noqa: PLC0415

        return Scope.of_traject(traject_page(request.user, kwargs[kwarg]))

    return scope


def gesprek_scope(request, *args, pk, **kwargs) -> Scope | None:
    """A page about one conversation."""
    from gesprekken.access import gesprek_page_traject  # noqa: PLC0415

    return Scope.of_traject(gesprek_page_traject(request.user, pk))


def proeve_scope(request, *args, pk, **kwargs) -> Scope | None:
    """A page about one Proeve."""
    from bekwaamheid.access import proeve_page_traject  # noqa: PLC0415

    return Scope.of_traject(proeve_page_traject(request.user, pk))


def person_scope(request, *args, **kwargs) -> Scope:
    """A page about everything a person works with: the trajecten where they hold a personal
    role or lead the school, those of the Proeven they assess, and the partnerships they
    coordinate (a partnership's version moves with every write in it). A query or two per
    kind of role the person holds."""
    from bekwaamheid.access import assessor_traject_ids  # noqa: PLC0415
    from trajecten.access import coordinator_partnerschappen, trajecten_for  # noqa: PLC0415
    from trajecten.models import Rol  # noqa: PLC0415

    from .middleware import roles_of  # noqa: PLC0415

    user = request.user
    held = roles_of(request)
    personal = [r for r in Rol if r != Rol.COORDINATOR and r.value in held]
    trajecten: set[int] = set()
    if personal:
        trajecten.update(trajecten_for(user, personal).order_by().values_list("pk", flat=True))
    if "assessor" in held:
        trajecten.update(assessor_traject_ids(user))
    partnerschappen: list[int] = []
    if Rol.COORDINATOR.value in held:
        partnerschappen = sorted(coordinator_partnerschappen(user).values_list("pk", flat=True))
    return Scope(trajecten=tuple(sorted(trajecten)), partnerschappen=tuple(partnerschappen))


# --- Versions -----------------------------------------------------------------------------


def bump_trajecten(traject_ids: Iterable[int], partnerschap_ids: Iterable[int] = ()) -> None:
    keys = [_TRAJECT.format(int(t)) for t in set(traject_ids) if t is not None]
    keys += [_PARTNERSCHAP.format(int(p)) for p in set(partnerschap_ids) if p is not None]
    if keys:
        counters.now_and_after_commit(lambda: counters.bump(keys))


def touch_trajecten(traject_ids: Iterable[int]) -> None:
    """For writes that send no model signals (`QuerySet.update`, `bulk_create`): the pages
    of these trajecten (and of their partnerships) are stale."""
    from trajecten.models import Traject  # noqa: PLC0415

    ids = {int(i) for i in traject_ids if i is not None}
    if ids:
        rows = Traject.objects.filter(pk__in=ids).values_list(
            "pk", "school__bestuur__partnerschap_id"
        )
        bump_trajecten(ids, [p for _t, p in rows])


def touch_objects(model, pks: Iterable[int]) -> None:
    """For writes to rows of `model` that send no model signals: the pages of their
    trajecten are stale."""
    pks = [pk for pk in pks if pk is not None]
    if pks:
        _apply(_rows(model, pks))


def touch_users(user_ids: Iterable[int]) -> None:
    keys = [_USER.format(int(u)) for u in set(user_ids) if u is not None]
    if keys:
        counters.now_and_after_commit(lambda: counters.bump(keys))


def touch_all() -> None:
    """Something every page may show changed (a name, a school, the framework)."""
    counters.now_and_after_commit(lambda: counters.bump([GLOBAL]))


def forget_everything() -> None:
    """After data changed behind the models' back (a restore, SQL by hand): every cached
    page, role summary and overview figure is stale."""
    from portal.models import Partnerschap  # noqa: PLC0415
    from portal.overview import cache as overview_cache  # noqa: PLC0415

    counters.bump([GLOBAL, ROLES_VERSION])
    overview_cache.bump(Partnerschap.objects.values_list("pk", flat=True))


# --- What makes pages stale ---------------------------------------------------------------

APPS = ("portal", "trajecten", "gesprekken", "bekwaamheid")
#: Shown on pages everywhere and rarely written: any write makes every page stale.
GLOBAL_MODELS = frozenset(
    {
        "portal.Partnerschap",
        "portal.Schoolbestuur",
        "portal.School",
        "portal.Startbijeenkomst",
        "portal.Rolbeschrijving",
        "trajecten.Bekwaamheidsgebied",
        "gesprekken.SignaalTag",
        "bekwaamheid.Bekwaamheidskader",
        "bekwaamheid.Bekwaamheidseis",
        "bekwaamheid.Rubriekniveau",
        "bekwaamheid.Opdracht",
    }
)
#: Belong to one person: a write makes that person's pages stale.
USER_MODELS = {
    "portal.Notificatie": "user_id",
    "portal.Uitnodiging": "user_id",
    "portal.Scholing": "user_id",
}
#: Never shown on a cached page (mail log, audit trail, API tokens, sent reminders).
IGNORED_MODELS = frozenset(
    {"portal.Mail", "portal.AuditEvent", "portal.ApiToken", "gesprekken.Herinnering"}
)
#: The user: see _user_before_save and _user_saved.
SPECIAL_MODELS = frozenset({"portal.User"})


def traject_path(model) -> str | None:
    """The lookup from `model` to its traject's id along foreign keys, or None."""
    from trajecten.models import Traject  # noqa: PLC0415

    if model is Traject:
        return "pk"
    queue = deque([(model, [])])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        for field in current._meta.get_fields():
            if not (field.concrete and (field.many_to_one or field.one_to_one)):
                continue
            target = field.related_model
            if target is Traject:
                return "__".join([*path, field.name]) + "_id"
            if target not in seen and target._meta.app_label in APPS:
                seen.add(target)
                queue.append((target, [*path, field.name]))
    return None


_PATHS: dict = {}
_PENDING = "_lev_pagecache_pending"


def _rows(model, pk) -> list[tuple[int, int | None]]:
    """(traject, partnership) of the row `pk` (or of the rows in a list of pks)."""
    path = _PATHS[model]
    if path == "pk":
        lookups = ("pk", "school__bestuur__partnerschap_id")
    else:
        base = path.removesuffix("_id")
        lookups = (path, f"{base}__school__bestuur__partnerschap_id")
    rows = model._default_manager.filter(**{"pk__in" if isinstance(pk, list) else "pk": pk})
    return list(rows.values_list(*lookups).distinct())


def _apply(rows) -> None:
    bump_trajecten([t for t, _p in rows], [p for _t, p in rows])


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _apply(_rows(sender, instance.pk))


def _before_delete(sender, instance, **kwargs) -> None:
    setattr(instance, _PENDING, _rows(sender, instance.pk))


def _on_delete(sender, instance, **kwargs) -> None:
    _apply(getattr(instance, _PENDING, []))


def _on_m2m(sender, instance, action, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    label = instance._meta.label
    if type(instance) in _PATHS:
        _apply(_rows(type(instance), instance.pk))
    elif label in GLOBAL_MODELS:
        touch_all()


def _global(sender, raw=False, **kwargs) -> None:
    if not raw:
        touch_all()


def _user_model_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        touch_users([getattr(instance, USER_MODELS[sender._meta.label])])


_SHOWN = ("first_name", "last_name", "email", "is_active")
_SHOWN_CHANGED = "_lev_pagecache_shown_changed"


def _user_before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Names and e-mail addresses show on pages everywhere; a login (last_login) does not.
    Notes whether they change; the bump follows the write (_user_saved)."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(_SHOWN):
        return
    old = sender._default_manager.filter(pk=instance.pk).values(*_SHOWN).first()
    if old is None or any(old[name] != getattr(instance, name) for name in _SHOWN):
        setattr(instance, _SHOWN_CHANGED, True)


def _user_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw and getattr(instance, _SHOWN_CHANGED, False):
        setattr(instance, _SHOWN_CHANGED, False)
        touch_all()


def connect() -> None:
    """Connect the receivers (portal.apps.PortalConfig.ready)."""
    from django.apps import apps  # noqa: PLC0415

    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            uid = f"pagecache-{label}"
            if label in GLOBAL_MODELS:
                post_save.connect(_global, sender=model, dispatch_uid=uid)
                post_delete.connect(_global, sender=model, dispatch_uid=uid)
            elif label in USER_MODELS:
                post_save.connect(_user_model_changed, sender=model, dispatch_uid=uid)
                post_delete.connect(_user_model_changed, sender=model, dispatch_uid=uid)
            elif label in SPECIAL_MODELS:
                pre_save.connect(_user_before_save, sender=model, dispatch_uid=uid)
                post_save.connect(_user_saved, sender=model, dispatch_uid=uid)
                post_delete.connect(_global, sender=model, dispatch_uid=uid)
            elif label not in IGNORED_MODELS:
                path = traject_path(model)
                if path is None:
                    continue  # test_every_model_is_classified fails for this model
                _PATHS[model] = path
                post_save.connect(_on_save, sender=model, dispatch_uid=uid)
                pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
                post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"{uid}-{field.name}")
