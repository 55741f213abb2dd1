"""End-to-end tests in a real Chromium driven by Playwright's sync API, against pytest-django's
live server (transactional database). Each person of a scenario gets their own browser context
(own cookies, own session), signs in through the login page, and only does what a user can do.

Chromium is Debian's (/usr/bin/chromium): never `playwright install`. Missing Chromium fails
the run unless ROKHAS_ALLOW_SKIP=1.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM
# calls from a thread with a running loop. The tests (not the application) opt out of that check.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright  # noqa: E402

from rokhas.demo.seed import DEMO_PASSWORD  # noqa: E402
from tests.conftest import require_binary  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(os.environ.get("ROKHAS_E2E_SHOTS", "/tmp/e2e-shots"))
ARABIC = re.compile(r"[\u0600-\u06FF]")
PAGE_LOG_KEY = "__rokhas_e2e_pages"

# Runs in every document before its own scripts (CDP, so the page's CSP does not apply): notes
# the language and direction of every page this tab shows, and the text of the site's own chrome
# (menu and footer, which hold no user data), so that a test can check every page it went through.
PAGE_LOG_SCRIPT = """
(() => {
  if (!/^https?:$/.test(location.protocol)) return;
  const record = () => {
    try {
      const html = document.documentElement;
      const chrome = [...document.querySelectorAll('.main-nav a, .main-nav button, .site-footer p')]
        .filter((el) => !el.closest('[data-testid=current-user]'))
        .map((el) => el.textContent.trim()).filter(Boolean).join(' | ');
      const log = JSON.parse(sessionStorage.getItem('__KEY__') || '[]');
      log.push({url: location.pathname + location.search, lang: html.getAttribute('lang'),
                dir: html.getAttribute('dir'), chrome});
      sessionStorage.setItem('__KEY__', JSON.stringify(log));
    } catch (e) { /* opaque origins have no sessionStorage */ }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', record);
  else record();
})();
""".replace("__KEY__", PAGE_LOG_KEY)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def chromium_path() -> str:
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return require_binary("chromium")  # fails (or skips with ROKHAS_ALLOW_SKIP=1) when missing


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


def off_the_loop(fn, /, *args, **kwargs):
    """Run `fn` in a worker thread that has no running asyncio loop, and return its result.

    For domain calls made by the test itself while Playwright's loop runs in this thread:
    pyHanko's synchronous signing calls asyncio.run(), which refuses to run inside a loop.
    The worker uses its own database connection (shared-cache SQLite or a server database)
    and closes it when done."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def work():
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def ui_translated(lang: str) -> bool:
    """Whether the UI strings have a compiled catalogue for `lang` (msgids are English)."""
    from django.utils import translation

    with translation.override(lang):
        return translation.gettext("Verify a permit") != "Verify a permit"


@dataclass
class Person:
    name: str
    lang: str
    context: BrowserContext
    page: Page


@dataclass
class E2E:
    """The live server, and one browser context per person of the scenario."""

    base_url: str
    browser: Browser
    node_name: str
    people: list[Person] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def person(self, name: str, lang: str) -> Page:
        locale = "ar-MA" if lang == "ar" else "fr-MA"
        context = self.browser.new_context(locale=locale, accept_downloads=True,
                                           viewport={"width": 1280, "height": 900},
                                           extra_http_headers={"Accept-Language": lang})
        context.set_default_timeout(20_000)
        context.add_init_script(PAGE_LOG_SCRIPT)
        page = context.new_page()
        self.people.append(Person(name, lang, context, page))
        return page

    def login(self, name: str, username: str, lang: str) -> Page:
        """A new person who signs in through the login page with the demo password."""
        page = self.person(name, lang)
        page.goto(self.url(f"/{lang}/login/"))
        assert_language(page, lang)
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.get_by_test_id("login-submit").click()
        expect(page.get_by_test_id("current-user")).to_be_visible()
        assert_language(page, lang)
        return page

    def pages_seen(self, page: Page) -> list[dict]:
        return page.evaluate(f"JSON.parse(sessionStorage.getItem('{PAGE_LOG_KEY}') || '[]')")

    def check_every_page(self, lang: str) -> int:
        """Every page every person saw was in `lang`, with the right direction; with a compiled
        catalogue, the site's own texts are in that language too. Returns the number of pages."""
        from django.utils import translation

        expected_dir = "rtl" if lang == "ar" else "ltr"
        with translation.override(lang):
            verify_label = translation.gettext("Verify a permit")
        translated = ui_translated(lang)
        seen = 0
        for person in self.people:
            for entry in self.pages_seen(person.page):
                seen += 1
                where = f"{person.name} on {entry['url']}"
                assert entry["lang"] == lang, f"{where}: lang={entry['lang']!r}"
                assert entry["dir"] == expected_dir, f"{where}: dir={entry['dir']!r}"
                assert verify_label in entry["chrome"], f"{where}: menu not in {lang}: {entry['chrome'][:200]}"
                if lang == "ar" and translated:
                    assert ARABIC.search(entry["chrome"]), f"{where}: menu not in Arabic: {entry['chrome'][:200]}"
        return seen

    def screenshot_all(self, prefix: str) -> list[Path]:
        SHOTS.mkdir(parents=True, exist_ok=True)
        taken = []
        for person in self.people:
            path = SHOTS / f"{prefix}-{person.name}.png"
            try:
                person.page.screenshot(path=str(path), full_page=True)
                taken.append(path)
            except Exception:  # a crashed page must not hide the test's own failure
                pass
        return taken


def safe_name(node_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", node_name).strip("-")


def assert_language(page: Page, lang: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")


def screenshot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def e2e(request, browser, live_server, transactional_db):
    expect.set_options(timeout=15_000)
    session = E2E(base_url=live_server.url, browser=browser, node_name=request.node.name)
    yield session
    failed = any(getattr(request.node, f"rep_{when}", None) is not None
                 and getattr(request.node, f"rep_{when}").failed for when in ("setup", "call"))
    if failed:
        for path in session.screenshot_all(f"FAILED-{safe_name(request.node.name)}"):
            print(f"screenshot: {path}")
    for person in session.people:
        person.context.close()


@pytest.fixture
def pdfsig():
    return require_binary("pdfsig")

