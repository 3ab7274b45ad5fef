"""Chromium (Debian's package, never a downloaded browser) driven by Playwright, and the
named people logging in to the live server."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def person(browser, live_server):
    pages = []
    # Anything the Content-Security-Policy blocks (an inline script or style, a foreign host) is a
    # page that does not work as written: Chromium reports it on the console, and the test fails.
    refused = []

    def log_in(username):
        context = browser.new_context(locale="en-US")
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page = context.new_page()
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw")
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{live_server.url}/complaints/")
        pages.append(context)
        return page

    yield log_in
    for context in pages:
        context.close()
    assert refused == [], refused
