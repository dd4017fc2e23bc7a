"""Screenshots of each demo account's main pages, desktop (1280x900) and phone (390x844).

    make screenshots                       # all of tests/e2e/pages.py SCREENS
    .venv/bin/python -m tests.e2e.screenshots --account coach1 --full-page --out /tmp/shots

Starts `manage.py runserver` on a free port with a temporary SQLite database holding the demo
data, logs in through the login page as each account in tests/e2e/pages.py and writes
<out>/<account>-<name>-<desktop|phone>.png (the first screen, or the whole page with
--full-page; reduced to 256 colours). A listed page that answers 404 is skipped and logged
(its feature has not landed yet). Each page is also checked with axe-core and for sideways
scrolling; problems are printed, not fatal.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "docs" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)  # our own local server
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer on {url} within {timeout}s")


def shrink(path: Path) -> None:
    """Reduce to a 256-colour palette: UI screenshots stay sharp at a fraction of the size."""
    from PIL import Image

    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs")
    parser.add_argument("--account", action="append", help="only these accounts (repeatable)")
    parser.add_argument("--viewport", choices=["desktop", "phone"], action="append")
    parser.add_argument(
        "--full-page", action="store_true", help="the whole page, not just the first screen"
    )
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="lev-shots-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'lev.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "LEV_REQUIRE_MFA": "0",
        "DEBUG": "1",
        "REDIS_URL": "",
    }
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    loaded = subprocess.run([*manage, "demo"], env=env, cwd=ROOT, capture_output=True, text=True)
    if loaded.returncode:
        print(loaded.stdout, loaded.stderr, file=sys.stderr)
        return loaded.returncode

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lev.settings")
    import django

    django.setup()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from tests.e2e import pages
    from tests.e2e.helpers import (
        CHROMIUM,
        CHROMIUM_ARGS,
        VIEWPORTS,
        assert_no_horizontal_scroll,
        axe_violations,
        format_violations,
        login,
        reauthenticate_if_asked,
    )

    ids = pages.placeholders()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = tmp / "server.log"
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=server_log.open("w"),  # a pipe nobody reads would block the server when full
    )
    args.out.mkdir(parents=True, exist_ok=True)
    written, missing, problems = [], [], []
    try:
        wait_for(f"{base}/privacy/", server)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for account in args.account or pages.accounts():
                for viewport in args.viewport or ["desktop", "phone"]:
                    context = browser.new_context(
                        base_url=base,
                        locale="nl-NL",
                        timezone_id="Europe/Amsterdam",
                        **VIEWPORTS[viewport],
                    )
                    page = context.new_page()
                    if account != pages.ANONYMOUS:
                        login(page, pages.email(account))
                    for screen in pages.screens_for(account):
                        path = pages.resolve(screen, ids)
                        if path is None:
                            missing.append(f"{account} {screen.path} (no demo data)")
                            continue
                        try:
                            response = page.goto(path)
                            if reauthenticate_if_asked(page):
                                response = page.goto(path)
                        except PlaywrightError as exc:  # a file download, not a page
                            problems.append(f"{account} {path}: {exc.message.splitlines()[0]}")
                            continue
                        status = response.status if response else 0
                        if status == 404:
                            missing.append(f"{account} {path} ({screen.name})")
                            continue
                        if status != 200:
                            problems.append(f"{account} {path} answered {status}")
                            continue
                        violations = axe_violations(page)
                        if violations:
                            where = f"{path} as {account} ({viewport})"
                            problems.append(format_violations(where, violations))
                        try:
                            assert_no_horizontal_scroll(page)
                        except AssertionError as exc:
                            problems.append(f"{viewport}: {exc}")
                        page.evaluate("() => document.activeElement?.blur()")
                        target = args.out / f"{account}-{screen.name}-{viewport}.png"
                        page.screenshot(
                            path=str(target), full_page=args.full_page, animations="disabled"
                        )
                        shrink(target)
                        written.append(target)
                    context.close()
            browser.close()
    except BaseException:
        print("server log (last lines):", *server_log.read_text().splitlines()[-20:], sep="\n  ")
        raise
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)

    for target in written:
        print(
            f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
            f" ({target.stat().st_size // 1024} KB)"
        )
    for item in dict.fromkeys(missing):
        print(f"skipped (404, not built yet): {item}")
    for item in dict.fromkeys(problems):
        print(f"PROBLEM: {item}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
