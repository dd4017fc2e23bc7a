"""The demo's logins: every account one can log in with is in the list `manage.py demo`
prints and in README.md's table, each with what one can try with it."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portal import demo
from portal.models import User

pytestmark = pytest.mark.django_db


def readme_logins() -> dict[str, str]:
    """Account -> what to try, from the table under 'Demo accounts' in README.md."""
    text = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = text.split("### Demo accounts", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+@lev\.test)` \|[^|]+\|[^|]+\| ([^|]+) \|$", section, re.M)
    return {email: try_it.strip() for email, try_it in rows}


def test_readme_lists_every_demo_login_with_what_to_try_and_the_demo_prints_them():
    out = StringIO()
    call_command("demo", stdout=out)
    can_log_in = {u.email for u in User.objects.filter(is_active=True) if u.has_usable_password()}
    assert len(can_log_in) >= 29
    assert set(readme_logins()) == can_log_in
    assert {email for email, _role, _try in demo.LOGINS} == can_log_in
    printed = out.getvalue()
    for email, _role, try_it in demo.LOGINS:
        assert email in printed and try_it in printed
        assert readme_logins()[email] == try_it
    assert printed.rstrip().endswith(f"Lev: {settings.SITE_URL}/")


def test_every_demo_login_opens_with_the_demo_password(client):
    call_command("demo", stdout=StringIO())
    for email, _role, _try in demo.LOGINS:
        assert client.login(username=email, password=demo.PASSWORD), email
        client.logout()
