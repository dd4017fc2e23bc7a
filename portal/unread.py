"""The number of unread notifications in the navigation: one indexed COUNT per page, read in
the same query as the person's role summary (portal.middleware.roles_of)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Notificatie, User


def unread_expression():
    """The unread count of the outer user row, as an expression."""
    unread = (
        Notificatie.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def unread_count(user: User) -> int:
    """The unread count: from the navigation's query when this request made it, else one
    COUNT."""
    if getattr(user, "lev_unread", None) is not None:
        return user.lev_unread
    return Notificatie.objects.filter(user=user, read_at__isnull=True).count()
