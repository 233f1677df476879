"""The login page's redirect_to after a login: only a path of this server, never another site."""

from urllib.parse import quote, urlsplit

import pytest

from harness import ADMIN, USERS_PATH
from pages import get, url_contains

# Each passes a "one slash, then not a slash" test, yet a browser's URL parser makes it //evil.example (a
# backslash counts as a slash in http URLs; tabs and newlines are dropped).
HOSTILE = ["/\\evil.example/", "/\t/evil.example/", "/\n/evil.example/", "/\\\\evil.example/"]


def log_in_from(browser, redirect_to):
    """The login form on /login?redirect_to=…, as a link sent to the admin would open it."""
    from selenium.webdriver.common.keys import Keys

    browser.driver.get(browser.base + "/login?redirect_to=" + quote(redirect_to, safe=""))
    get(browser.driver, "#input_loginId").send_keys(ADMIN[0])
    get(browser.driver, "#input_password-input").send_keys(ADMIN[1] + Keys.ENTER)


@pytest.mark.parametrize("target", HOSTILE, ids=["backslash", "tab", "newline", "two-backslashes"])
def test_a_redirect_to_another_site_lands_on_the_console(browser, target):
    log_in_from(browser, target)
    url_contains(browser.driver, USERS_PATH)
    assert urlsplit(browser.driver.current_url).netloc == urlsplit(browser.base).netloc


def test_a_path_of_this_server_is_kept(browser):
    target = USERS_PATH + "?filter=active#top"
    log_in_from(browser, target)
    url_contains(browser.driver, "filter=active")
    assert browser.driver.current_url == browser.base + target
