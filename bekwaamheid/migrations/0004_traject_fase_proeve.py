"""The Proeve phase of the stored traject phase (trajecten 0005 sets the others): a running
traject is in its Proeve while a submitted dossier awaits or undergoes its Proeve, and after
a pass until it is closed (trajecten.lifecycle)."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def proeve_fase(apps, schema_editor):
    Traject = apps.get_model("trajecten", "Traject")
    Proeve = apps.get_model("bekwaamheid", "Proeve")
    in_proeve = Proeve.objects.filter(dossier__traject=OuterRef("pk")).filter(
        Q(status__in=["ingediend", "gepland"]) | Q(status="afgerond", uitslag="voldoende")
    )
    Traject.objects.filter(status__in=["intake", "actief"]).filter(Exists(in_proeve)).update(
        fase="proeve"
    )


def refresh_figures(apps, schema_editor):
    """Store every figure of existing trajecten with the portal's own refresh, now that every
    column it writes exists (trajecten 0004 ran it before gesprekken 0003 and this one had
    added theirs). A database without trajecten has nothing to fill. A later migration that
    adds a figure column moves this call after it."""
    if not apps.get_model("trajecten", "Traject").objects.exists():
        return
    from portal.overview.figures import refresh_traject_figures

    refresh_traject_figures()


class Migration(migrations.Migration):
    dependencies = [
        ("bekwaamheid", "0003_proeve_pdf_requested_at"),
        ("trajecten", "0005_traject_fase"),
        ("gesprekken", "0005_gesprek_open_slot_index"),
    ]

    operations = [
        migrations.RunPython(proeve_fase, migrations.RunPython.noop),
        migrations.RunPython(refresh_figures, migrations.RunPython.noop),
    ]
