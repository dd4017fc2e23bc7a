"""The number of unread notifications in the navigation, cached per person.

Asked on every page; it changes when a notification arrives, is read or is purged. Each of
those drops the cached number now and again after commit; a short expiry bounds the rare
case of a count read just before a write and stored just after it."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .counters import now_and_after_commit
from .models import Notificatie, User

TTL = 60


def unread_key(user_id: int) -> str:
    """The cache key of `user_id`'s count (portal.pagecache fetches it with its versions)."""
    return f"unread:{user_id}"


def unread_count(user: User) -> int:
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notificatie.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, timeout=TTL)
    return count


def forget(user_id: int) -> None:
    """The cached count of `user_id` is stale (now, and once the transaction commits)."""
    key = unread_key(user_id)
    now_and_after_commit(lambda: cache.delete(key))


@receiver(post_save, sender=Notificatie, dispatch_uid="lev_unread_save")
@receiver(post_delete, sender=Notificatie, dispatch_uid="lev_unread_delete")
def _changed(sender, instance: Notificatie, **kwargs) -> None:
    forget(instance.user_id)
