"""A traject whose dossier is submitted for the Proeve is in the Proeve stage."""

import pytest

from bekwaamheid.models import Proeve
from tests import factories as f
from trajecten import selectors

pytestmark = pytest.mark.django_db


def stage_of(traject):
    return selectors.with_stage(type(traject).objects.filter(pk=traject.pk)).get().stage


def test_submitted_dossier_puts_the_traject_in_the_proeve_stage():
    proeve = f.ProeveFactory(status=Proeve.Status.GEPLAND)
    assert stage_of(proeve.dossier.traject) == "proeve"


def test_finished_proeve_leaves_the_proeve_stage():
    proeve = f.ProeveFactory(status=Proeve.Status.AFGEROND)
    assert stage_of(proeve.dossier.traject) != "proeve"
