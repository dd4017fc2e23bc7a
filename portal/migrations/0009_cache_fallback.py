"""The table of the database cache that carries the one-time form tokens and the login
throttle while Redis is unreachable (settings.FALLBACK_CACHE, portal.cache)."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", "lev_cache_fallback", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("portal", "0008_inzageverzoek")]

    operations = [
        migrations.RunPython(create, migrations.RunPython.noop),
    ]
