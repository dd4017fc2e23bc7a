"""Every page in pages.SCREENS, opened as its account: it answers, is accessible (axe-core,
WCAG 2.1 AA) and does not scroll sideways; at phone width too for pages.PHONE_ACCOUNTS.

Add your page to tests/e2e/pages.py and it is checked here and photographed by
`make screenshots`.
"""

from __future__ import annotations

import warnings

import pytest

from .helpers import reauthenticate_if_asked
from .pages import ANONYMOUS, PHONE_ACCOUNTS, accounts, email, resolve, screens_for

pytestmark = pytest.mark.e2e

RUNS = [(account, "desktop") for account in accounts()] + [
    (account, "phone") for account in accounts() if account in PHONE_ACCOUNTS
]


@pytest.mark.parametrize(("account", "viewport"), RUNS, ids=[f"{a}-{v}" for a, v in RUNS])
def test_main_pages_of_each_account_are_accessible(request, demo, account, viewport):
    browse = request.getfixturevalue("browse" if viewport == "desktop" else "phone")
    if account != ANONYMOUS:
        browse.login(email(account))
    for screen in screens_for(account):
        path = resolve(screen, demo.ids)
        if path is None:
            warnings.warn(f"{account}: no demo data for {screen.path}; not checked", stacklevel=1)
            continue
        response = browse.goto(path, status=None)
        if reauthenticate_if_asked(browse.page):  # the confirm-password page was checked
            response = browse.goto(path, status=None)
        if response.status == 404:
            warnings.warn(
                f"{account}: {path} ({screen.name}) answers 404: not built yet?", stacklevel=1
            )
            continue
        assert response.status == 200, f"{account}: {path} answered {response.status}"
