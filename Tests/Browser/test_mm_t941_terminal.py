"""MM-T941 as the test case is written: Browser1 is a real browser on the System Console, the phone is mmsim's
interactive app in a terminal (tmux), both on the app's embedded server."""

import re

from harness import ADMIN, USER_PASSWORD, TerminalApp, sessions_of
from pages import find_by_text, get, log_in_as, open_users_page, url_contains, wait_for_sessions


def test_mm_t941_browser_revokes_while_the_terminal_phone_is_in_airplane_mode(browser_factory):
    app = TerminalApp("--ephemeral --port 0")
    try:
        # The phone shows its login screen; the header names the server the browser opens.
        screen = app.wait_for("Log in to your account", timeout=60)
        url = re.search(r"http://127\.0\.0\.1:\d+", screen).group(0)
        app.type("user-1")
        app.key("Enter")
        app.type(USER_PASSWORD)
        app.key("Enter")
        app.wait_for("Town Square")
        app.wait_for("live")

        # Browser1: the admin logs in and sees the phone's session.
        browser = browser_factory(url)
        log_in_as(browser, *ADMIN)
        open_users_page(browser)
        wait_for_sessions(browser.driver, "user-1", 1, timeout=5)

        # The phone goes into airplane mode; the admin revokes all sessions and is logged out too.
        app.key("F2")
        app.wait_for("✈ Airplane")
        find_by_text(browser.driver, "Revoke All Sessions").click()
        get(browser.driver, "#confirmModal")
        get(browser.driver, "#confirmModalButton").click()
        url_contains(browser.driver, "/login")
        find_by_text(browser.driver, "Log in to your account")
        assert sessions_of(url, "user-1") == 0
        assert "Town Square" in app.screen(), "the offline phone cannot know yet"

        # The phone comes back online and drops to its login screen.
        app.key("F2")
        app.wait_for("Your session has expired or was revoked. Please log in again.")
        assert USER_PASSWORD not in app.screen()
        assert browser.console_errors() == []
        app.key("F10")
    finally:
        app.stop()
