"""Query lookups the portal registers at start-up (PortalConfig.ready)."""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`__in` on an integer column that skips values outside the column's range, as
    Django's own `exact` lookup does. A tampered checkbox value such as 2**63 reaches
    ModelMultipleChoiceField's `pk__in` query; SQLite then raised OverflowError (a 500)
    where the form should say "not one of the choices"."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
