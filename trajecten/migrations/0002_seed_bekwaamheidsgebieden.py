"""Seed the three areas of the bekwaamheidseisen (in force since 1 August 2017)."""

from django.db import migrations

AREAS = [
    ("vakinhoudelijk", "Vakinhoudelijk bekwaam", "Subject-matter competence", 1,
     "Beheerst de inhoud van het vak en de samenhang ervan, in de klas en in de school."),
    ("vakdidactisch", "Vakdidactisch bekwaam", "Subject-teaching competence", 2,
     "Vertaalt de vakinhoud naar leerdoelen en leeractiviteiten voor de leerlingen."),
    ("pedagogisch", "Pedagogisch bekwaam", "Pedagogical competence", 3,
     "Zorgt voor een veilige, ondersteunende en uitdagende leeromgeving."),
]


def seed(apps, schema_editor):
    Gebied = apps.get_model("trajecten", "Bekwaamheidsgebied")
    for code, name, name_en, order, description in AREAS:
        Gebied.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "order": order, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("trajecten", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
