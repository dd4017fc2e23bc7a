"""Browser helpers for the end-to-end tests and the screenshot tool.

Plain functions on a Playwright `Page`, so that both pytest and `screenshots.py` use them:

- `assert_accessible(page)`: axe-core against WCAG 2.1 A and AA, with a readable failure.
- `assert_no_horizontal_scroll(page)`: nothing sticks out sideways (phones).
- `assert_focus_visible(page)`: the focused element shows a visible focus indicator.
- `login(page, email)`: log in through the real allauth form.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

PASSWORD = "lev-demo-2026"
AXE_JS = Path(__file__).parent / "vendor" / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Context options per viewport: the phone is emulated as a touch device with a mobile
# viewport meta, so that Bootstrap's collapsed navigation and narrow layout are what we test.
VIEWPORTS = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


_RUN_AXE = """async ([tags, disabled]) => {
  const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html})),
  }));
}"""


def path_of(page: Page) -> str:
    """The path (and query) of the page, for messages."""
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def axe_violations(page: Page, *, disable: tuple[str, ...] = ()) -> list[dict]:
    """Run axe-core on the page and return its WCAG 2.1 A/AA violations.

    axe is injected with `page.evaluate`, which the page's CSP (`script-src 'self'`) does not
    govern; a <script> tag would be refused. `disable` switches off named rules (say why).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(_RUN_AXE, [WCAG_TAGS, list(disable)])


def format_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {where} (axe-core, WCAG 2.1 AA):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    at {node['target']}   {node['html'][:120]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
        lines.append(f"    see {v['helpUrl']}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, disable: tuple[str, ...] = ()) -> None:
    """Fail with a readable list (rule, impact, selectors, help) if axe finds violations."""
    violations = axe_violations(page, disable=disable)
    if violations:
        raise AssertionError(format_violations(path_of(page), violations))


_OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  const culprits = [];
  if (scrollWidth > width) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0) {
        const id = el.id ? "#" + el.id : "";
        const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
        const tag = el.tagName.toLowerCase();
        culprits.push(`${tag}${id}${cls} (right edge ${Math.round(r.right)}px)`);
        if (culprits.length >= 10) break;
      }
    }
  }
  return {width, scrollWidth, culprits};
}"""


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page fits the viewport's width: documentElement.scrollWidth <= innerWidth."""
    result = page.evaluate(_OVERFLOW)
    if result["scrollWidth"] > result["width"]:
        raise AssertionError(
            f"{path_of(page)} scrolls sideways at {result['width']}px: the page is "
            f"{result['scrollWidth']}px wide. Elements sticking out:\n  "
            + "\n  ".join(result["culprits"] or ["(none found; a pseudo-element or margin?)"])
        )


_FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.id || "").trim().slice(0, 40),
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
    boxShadow: s.boxShadow, matchesFocusVisible: el.matches(":focus-visible"),
  };
}"""


def focused_element(page: Page) -> dict | None:
    """Tag, text and computed focus styles of document.activeElement (None: nothing focused)."""
    return page.evaluate(_FOCUS_STYLE)


def assert_focus_visible(page: Page) -> dict:
    """The focused element shows a visible indicator: an outline of at least 2px (or a box
    shadow) while it matches :focus-visible. Returns the element's description."""
    info = focused_element(page)
    assert info is not None, f"nothing has keyboard focus on {path_of(page)}"
    visible = (info["outlineStyle"] != "none" and info["outlineWidth"] >= 2) or (
        info["boxShadow"] not in ("", "none")
    )
    assert info["matchesFocusVisible"] and visible, (
        f"focus is not visible on <{info['tag']}> {info['text']!r} at {path_of(page)}: "
        f"outline {info['outlineStyle']} {info['outlineWidth']}px, box-shadow {info['boxShadow']}"
    )
    return info


def login(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login page and wait for the landing page."""
    page.goto("/account/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def reauthenticate_if_asked(page: Page, password: str = PASSWORD) -> bool:
    """On allauth's "confirm your password" page (pages behind re-authentication, such as a
    coordinator's changes to a traject), type the password and go on. True when it did."""
    if "/account/reauthenticate/" not in page.url:
        return False
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return True


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


_LOGIN_PAGE_CHECKED: set[str] = set()


class Browse:
    """A page in the live server with the checks that every page must pass.

    `goto()` checks the page it lands on (axe-core, no sideways scrolling). After a click or a
    form submit that loads a new page, call `check()` (or use `with browse.loads(): ...`).
    Every HTML page the browser loads is recorded; at the end of the test the fixture fails
    if one of them was never checked, so a forgotten check cannot slip through.
    """

    def __init__(self, page: Page, viewport: str = "desktop"):
        self.page = page
        self.viewport = viewport
        self.visited: list[dict] = []
        page.on("response", self._record)

    def _record(self, response) -> None:
        request = response.request
        if (
            request.is_navigation_request()
            and response.frame == self.page.main_frame
            and not 300 <= response.status < 400
            and "text/html" in (response.headers.get("content-type") or "")
        ):
            self.visited.append(
                {
                    "url": _without_fragment(response.url),
                    "method": request.method,
                    "status": response.status,
                    "checked": False,
                }
            )

    def goto(self, path: str, *, status: int | None = 200, check: bool = True):
        """Open `path`, assert the final status (None: any) and check the page."""
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        assert status is None or response.status == status, (
            f"{path} answered {response.status}, expected {status} (now at {path_of(self.page)})"
        )
        if check:
            self.check()
        return response

    def check(self, *, disable: tuple[str, ...] = ()) -> None:
        """Check the current page: accessible (axe) and no horizontal scroll."""
        self.page.wait_for_load_state("load")
        assert_accessible(self.page, disable=disable)
        assert_no_horizontal_scroll(self.page)
        self._mark_checked()

    def _mark_checked(self) -> None:
        here = _without_fragment(self.page.url)
        for visit in self.visited:
            if visit["url"] == here:
                visit["checked"] = True

    @contextmanager
    def loads(self):
        """`with browse.loads(): <click>` waits for the new page, then checks it."""
        with self.page.expect_navigation():
            yield
        self.check()

    def login(self, email: str, password: str = PASSWORD) -> None:
        """Log in through the login form and check the landing page. The login page is the
        same for everyone: it is checked once per viewport in a test run."""
        first = self.viewport not in _LOGIN_PAGE_CHECKED
        self.goto("/account/login/", check=first)
        _LOGIN_PAGE_CHECKED.add(self.viewport)
        self._mark_checked()
        self.page.locator("#id_login").fill(email)
        self.page.locator("#id_password").fill(password)
        with self.loads():
            self.page.locator("main form button[type=submit]").click()

    def unchecked(self) -> list[str]:
        return [
            f"{v['method']} {v['url']} ({v['status']})" for v in self.visited if not v["checked"]
        ]
