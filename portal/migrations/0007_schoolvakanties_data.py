"""The school holidays Lev ships (portal/data/schoolvakanties.json, in the government's
open-data format); later years come in with `manage.py schoolvakanties_import`."""

import json
from pathlib import Path

from django.db import migrations

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "schoolvakanties.json"
REGIONS = {"noord": "noord", "midden": "midden", "zuid": "zuid", "heel nederland": "heel"}


def load(apps, schema_editor):
    # Self-contained (a migration must not change with the app code): the same reading as
    # portal.schoolvakanties.parse for this known file.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    amsterdam = ZoneInfo("Europe/Amsterdam")

    def day(value):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(amsterdam).date()

    Schoolvakantie = apps.get_model("portal", "Schoolvakantie")
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    rows = []
    for year in document["content"]:
        for vacation in year["vacations"]:
            for region in vacation["regions"]:
                rows.append(
                    Schoolvakantie(
                        schooljaar=year["schoolyear"],
                        naam=" ".join(vacation["type"].split()),
                        regio=REGIONS[region["region"].strip().lower()],
                        eerste_dag=day(region["startdate"]),
                        laatste_dag=day(region["enddate"]),
                        bron=year.get("lev_source", "")[:200],
                    )
                )
    Schoolvakantie.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_schoolvakanties")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
