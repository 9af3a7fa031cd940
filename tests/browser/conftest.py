"""Real-browser fixtures: one headless Chromium for this folder, a fresh browser context per test.

Every page a test visits goes through ``Browsing.check()``: axe-core must find zero violations, the console must
report no Content-Security-Policy violation, no static file may have failed to load, no script may have thrown,
and the page must reflow at 320 CSS px without horizontal scrolling.
"""

import importlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from brobygger.accounts import demo, geography
from brobygger.accounts.models import County, Municipality

CHROMIUM = os.environ.get("BROBYGGER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
# Playwright's default is 30 s; a page on the live server answers in well under a second.
TIMEOUT_MS = 10_000


AUDIT_TRIGGERS = importlib.import_module("brobygger.audit.migrations.0002_append_only_triggers")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Lift the audit tables' append-only triggers just while a live-server test's database is emptied.

    The live server makes the test transactional, and its teardown flushes every table; on SQLite that is a
    DELETE, which the triggers refuse (PostgreSQL's TRUNCATE does not fire them). They are back before the
    next test starts, so no test ever runs without them.
    """
    blocker = item.funcargs.get("django_db_blocker") if "live_server" in item.fixturenames else None
    if blocker is None:
        return (yield)
    from django.db import connection

    with blocker.unblock(), connection.schema_editor() as editor:
        AUDIT_TRIGGERS.drop_triggers(None, editor)
    try:
        return (yield)
    finally:
        with blocker.unblock(), connection.schema_editor() as editor:
            AUDIT_TRIGGERS.create_triggers(None, editor)


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for this folder's tests; stopped before the rest of the suite runs."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} mangler: kjør `make browsers` (apt-get install chromium).")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Between calls, Playwright's sync API leaves its event loop marked as running in this thread, and Django
    # then keeps database connections per async context instead of per thread: the test would get a second
    # connection, one the live server does not share. Pin the connections this thread already has, so test
    # code, TransactionTestCase and live server share them; and let Django use them although a loop "runs".
    pinned = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in pinned.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SOURCE.exists():
        pytest.skip(f"{AXE_SOURCE} mangler: kjør `npm ci`.")
    return AXE_SOURCE.read_text()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Seeding seven personas with 1.5 M PBKDF2 rounds each dominates the run; the login flow is the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(live_server, browser, django_db_blocker) -> dict:
    """The demo seed, committed so the live server's thread sees it.

    The live server makes every test transactional, and a transactional test's teardown empties every table,
    including the reference geography the migrations load: put it back first if an earlier test emptied it.
    (``django_db_blocker`` is here for ``pytest_runtest_teardown``, which needs it to lift the audit triggers.)
    """
    if not Municipality.objects.exists():
        geography.load(County, Municipality)
    return demo.seed()


class PageProblems(AssertionError):
    pass


class Browsing:
    """A Playwright page on the live server, with the checks every visited page must pass."""

    def __init__(self, page, base_url: str, axe_source: str):
        self.page = page
        self.base_url = base_url
        self.axe_source = axe_source
        self.csp_violations: list[str] = []
        self.failed_requests: list[str] = []
        self.script_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.script_errors.append(f"{self.page.url}: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def _on_response(self, response) -> None:
        if response.status >= 400 and settings.STATIC_URL in response.url:
            self.failed_requests.append(f"{response.status} {response.url}")

    def _on_request_failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a request when the page navigates away (the favicon, typically):
        # not a missing file. Missing files answer 4xx and are caught in _on_response.
        if settings.STATIC_URL in request.url and "ERR_ABORTED" not in (request.failure or ""):
            self.failed_requests.append(f"{request.failure} {request.url}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        self.page.wait_for_load_state("load")
        return response

    def path(self) -> str:
        """Path and query of the current page; a fragment the browser carried over a redirect is dropped."""
        return re.sub(r"^https?://[^/]+|#.*$", "", self.page.url)

    def assert_no_page_problems(self) -> None:
        problems = []
        if self.csp_violations:
            problems.append("CSP-brudd i konsollen:\n  " + "\n  ".join(self.csp_violations))
        if self.failed_requests:
            problems.append("Statiske filer som ikke lastet:\n  " + "\n  ".join(self.failed_requests))
        if self.script_errors:
            problems.append("JavaScript-feil:\n  " + "\n  ".join(self.script_errors))
        if problems:
            raise PageProblems("\n".join(problems))

    def axe(self) -> list[dict]:
        """axe-core's default rules: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices."""
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            # page.evaluate runs through the DevTools protocol, which the page's CSP does not govern.
            self.page.evaluate(self.axe_source)
        results = self.page.evaluate(
            """async () => {
                const results = await axe.run(document, {resultTypes: ['violations']});
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
                }));
            }"""
        )
        return results

    def check(self) -> None:
        """The checks every visited page must pass; see the module docstring."""
        self.page.wait_for_load_state("load")
        # Fonts change text metrics and so colour-contrast sampling; let them settle first.
        self.page.evaluate("() => document.fonts.ready.then(() => true)")
        violations = self.axe()
        if violations:
            lines = [f"axe-core fant {len(violations)} brudd på {self.path()}:"]
            for violation in violations:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                for node in violation["nodes"][:10]:
                    lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
                    if node["summary"]:
                        lines.append("      " + node["summary"].replace("\n", "\n      "))
            raise AssertionError("\n".join(lines))
        self.assert_no_page_problems()
        self.assert_reflows()

    def assert_reflows(self, width: int = 320) -> None:
        """WCAG 1.4.10: at 320 CSS px nothing may need horizontal scrolling (a table may scroll in its wrapper)."""
        page = self.page
        viewport = page.viewport_size
        page.set_viewport_size({"width": width, "height": 640})
        try:
            overflowing = page.evaluate(
                """(width) => {
                    if (document.documentElement.scrollWidth <= width) return [];
                    const overflows = el => el.getBoundingClientRect().right > width + 1
                        || (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible');
                    return [...document.body.querySelectorAll('*')]
                        .filter(el => !el.closest('.table-wrap') && overflows(el))
                        .map(el => el.outerHTML.slice(0, 120));
                }""",
                width,
            )
        finally:
            page.set_viewport_size(viewport)
        assert not overflowing, f"{self.path()} flyter over {width} px bredde:\n  " + "\n  ".join(overflowing[:10])

    def log_in(self, username: str, password: str) -> None:
        page = self.page
        page.get_by_label("Brukernavn").fill(username)
        page.get_by_label("Passord").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Logg inn").click()
        page.wait_for_load_state("load")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def browsing(browser, live_server, axe_source) -> Iterator[Browsing]:
    # Norwegian, as the users' browsers will ask for; Chromium's default would make LocaleMiddleware pick English.
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    session = Browsing(page, live_server.url, axe_source)
    try:
        yield session
        session.assert_no_page_problems()
    finally:
        context.close()
