"""Fixtures for the conversation cycle: a planned conversation on the cast's traject."""

from __future__ import annotations

import pytest

from tests import factories as f


@pytest.fixture
def gesprek(cast):
    return f.GesprekFactory(traject=cast.traject, cycle_number=1)


@pytest.fixture
def verslag(cast):
    """The report of a conversation held today (an hour ago): it may be signed."""
    return f.VerslagFactory(
        gesprek=f.GesprekFactory(traject=cast.traject, cycle_number=1, held=True)
    )


@pytest.fixture
def signed_verslag(verslag):
    f.AfspraakFactory(verslag=verslag)
    f.sign_all(verslag)
    return verslag
