"""The web System Console in real headless Chromium: issue 13's "Tests (real browser)" list."""

import pytest

from harness import ADMIN, USER_PASSWORD, USERS_PATH, APIPhone, request, sessions_of, wait_until
from pages import (admin_token, find_by_text, get, gone, log_in_as, log_in_with_form, me_status, open_users_page,
                   session_cell, url_contains, wait_for_sessions)
from test_mm_t940 import REVOKE_ALL_MESSAGE

LOGIN_401 = "/api/v4/users/login - Failed to load resource: the server responded with a status of 401"


def test_admin_logs_in_and_the_table_follows_a_phone_live(browser):
    driver = browser.driver
    driver.get(browser.base + "/")
    url_contains(driver, "/login")
    find_by_text(driver, "Log in to your account")
    browser.screenshot("login-1280x800")

    log_in_as(browser, *ADMIN)
    url_contains(driver, USERS_PATH)
    find_by_text(driver, "Mattermost Users")
    wait_for_sessions(driver, "sysadmin", 1, timeout=10)
    wait_for_sessions(driver, "user-1", 0)
    row = get(driver, '#systemUsersTable tr[data-username="user-1"]')
    assert "user-1@sample.mattermost.com" in row.text
    assert "Member" in row.text

    # A phone logs in as user-1: the table shows its session within a second, and drops it as quickly.
    phone = APIPhone(browser.base, "user-1")
    phone.log_in()
    wait_for_sessions(driver, "user-1", 1, timeout=1.0)
    browser.screenshot("users-1280x800")
    phone.log_out()
    wait_for_sessions(driver, "user-1", 0, timeout=1.0)

    assert browser.console_errors() == []


def test_revoke_all_cancel_keeps_everything_and_confirm_ends_every_session(browser):
    driver = browser.driver
    phone = APIPhone(browser.base, "user-1")
    phone.log_in()
    log_in_as(browser, *ADMIN)
    open_users_page(browser)
    wait_for_sessions(driver, "user-1", 1)
    admin_cookie = driver.get_cookie("MMAUTHTOKEN")["value"]

    get(driver, "#revokeAllSessionsButton").click()
    modal = get(driver, "#confirmModal")
    assert get(driver, "#confirmModalLabel").text == "Revoke all sessions in the system"
    assert get(driver, "#confirmModalBody").text == REVOKE_ALL_MESSAGE
    assert get(driver, "#cancelModalButton").text == "Cancel"
    assert get(driver, "#confirmModalButton").text == "Revoke All Sessions"
    assert modal.get_attribute("role") == "dialog"
    browser.screenshot("revoke-all-modal-1280x800")

    # Cancel keeps everything.
    get(driver, "#cancelModalButton").click()
    gone(driver, "#confirmModal")
    assert USERS_PATH in driver.current_url
    assert me_status(browser.base, phone.token) == 200
    assert me_status(browser.base, admin_cookie) == 200
    wait_for_sessions(driver, "user-1", 1)

    # The phone goes offline; the admin confirms.
    phone.go_offline()
    get(driver, "#revokeAllSessionsButton").click()
    get(driver, "#confirmModalButton").click()
    url_contains(driver, "/login", timeout=10)
    find_by_text(driver, "Log in to your account")
    assert driver.get_cookie("MMAUTHTOKEN") is None

    # Every session is gone, the admin's own included (checked over the API).
    assert me_status(browser.base, admin_cookie) == 401
    assert me_status(browser.base, phone.token) == 401
    assert sessions_of(browser.base, "user-1") == 0

    # The phone comes back: its socket's challenge is refused and the REST check answers 401: login screen.
    assert phone.reconnect() == "login"
    assert phone.socket is None

    assert browser.console_errors() == []


def test_a_non_admin_is_refused(browser):
    driver = browser.driver
    log_in_as(browser, "user-1", USER_PASSWORD)
    title = get(driver, '[data-testid="errorMessageTitle"]')
    assert title.text == "You do not have the appropriate permissions."
    assert not [table for table in driver.find_elements("css selector", "#systemUsersTable") if table.is_displayed()]
    assert not driver.find_element("css selector", "#revokeAllSessionsButton").is_displayed()
    browser.screenshot("non-admin-1280x800")

    # The server refuses the console's calls too: the page is not the only guard.
    token = driver.get_cookie("MMAUTHTOKEN")["value"]
    answer = request(browser.base, "POST", "/users/sessions/revoke/all", {}, token=token)
    assert answer.status == 403
    assert answer.json["id"] == "api.context.permissions.app_error"
    assert sessions_of(browser.base, "sysadmin") >= 1

    get(driver, "#permissionLogoutButton").click()
    url_contains(driver, "/login")
    assert browser.console_errors() == []


def test_a_wrong_password_and_a_locked_account_show_mattermosts_messages(browser):
    driver = browser.driver
    log_in_with_form(browser, "user-2", "not-the-password")
    alert = get(driver, "#loginAlert")
    assert alert.text == "The email/username or password is invalid."
    assert "/login" in driver.current_url

    # Typing again clears the message, as the web app does.
    get(driver, "#input_password-input").send_keys("x")
    wait_until(lambda: not alert.is_displayed(), 2, "the alert cleared")

    # Mattermost's MaximumLoginAttempts (10) wrong passwords lock the account; the page says so.
    for attempt in range(10):
        request(browser.base, "POST", "/users/login", {"login_id": "user-3", "password": f"wrong-{attempt}"})
    log_in_with_form(browser, "user-3", USER_PASSWORD)
    assert get(driver, "#loginAlert").text == ("Your account is locked because of too many failed password "
                                               "attempts. Please reset your password.")
    browser.screenshot("login-error-1280x800")

    # Empty fields never reach the server.
    log_in_with_form(browser, "user-2", "")
    assert get(driver, "#loginAlert").text == "Please enter your password"

    # The only console errors are Chromium's notes of the 401 answers themselves.
    assert browser.console_errors(allowed=[LOGIN_401]) == []


def test_per_user_actions_revoke_deactivate_activate_and_reset_password(browser):
    driver = browser.driver
    phone = APIPhone(browser.base, "user-2")
    phone.log_in()
    log_in_as(browser, *ADMIN)
    open_users_page(browser)
    wait_for_sessions(driver, "user-2", 1)
    row = get(driver, '#systemUsersTable tr[data-username="user-2"]')

    # Revoke sessions of one user.
    row.find_element("css selector", '[id$="-removeSessions"]').click()
    assert get(driver, "#confirmModalLabel").text == "Revoke Sessions for user-2"
    assert get(driver, "#confirmModalBody").text == (
        "This action revokes all sessions for user-2. They will be logged out from all devices. "
        "Are you sure you want to revoke all sessions for user-2?")
    get(driver, "#confirmModalButton").click()
    gone(driver, "#confirmModal")
    wait_for_sessions(driver, "user-2", 0)
    assert me_status(browser.base, phone.token) == 401
    assert USERS_PATH in driver.current_url  # the admin's own session is untouched

    # Deactivate, then activate.
    phone.log_in()
    wait_for_sessions(driver, "user-2", 1)
    row.find_element("css selector", '[id$="-deactivate"]').click()
    assert get(driver, "#confirmModalLabel").text == "Deactivate user-2"
    get(driver, "#confirmModalButton").click()
    wait_until(lambda: row.find_element("css selector", 'td[data-column="roles"]').text == "Deactivated", 2,
               "user-2 shown as deactivated")
    wait_for_sessions(driver, "user-2", 0)
    assert request(browser.base, "POST", "/users/login",
                   {"login_id": "user-2", "password": USER_PASSWORD}).status == 401
    row.find_element("css selector", '[id$="-active"]').click()
    wait_until(lambda: row.find_element("css selector", 'td[data-column="active"]').text == "Yes", 2,
               "user-2 active again")

    # Reset password: the new one works, the old one no longer does.
    row.find_element("css selector", '[id$="-resetPassword"]').click()
    assert get(driver, "#resetPasswordModalLabel").text == "Reset password for user-2"
    field = get(driver, "#resetPasswordNewPassword")
    assert driver.switch_to.active_element == field
    field.send_keys("short")
    get(driver, "#confirmModalButton").click()
    find_by_text(get(driver, "#resetPasswordModal"), "Your password must contain at least 8 characters.")
    field.clear()
    field.send_keys("Fresh-Passw0rd\n")  # Enter confirms
    gone(driver, "#resetPasswordModal")
    assert request(browser.base, "POST", "/users/login",
                   {"login_id": "user-2", "password": "Fresh-Passw0rd"}).status == 200
    assert request(browser.base, "POST", "/users/login",
                   {"login_id": "user-2", "password": USER_PASSWORD}).status == 401

    # The too-short password's 400 is the only failed load (the 401s above were this test's own API calls).
    assert browser.console_errors(allowed=["/password - Failed to load resource: the server responded with a "
                                           "status of 400"]) == []


def test_keyboard_only(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = browser.driver
    driver.get(browser.base + "/login")
    # The username field has the focus; Tab reaches the password; Enter there logs in.
    assert driver.switch_to.active_element.get_attribute("id") == "input_loginId"
    ActionChains(driver).send_keys(ADMIN[0], Keys.TAB, ADMIN[1], Keys.ENTER).perform()
    url_contains(driver, USERS_PATH)
    open_users_page(browser)

    button = get(driver, "#revokeAllSessionsButton")
    driver.execute_script("arguments[0].focus()", button)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    get(driver, "#confirmModal")
    # The confirm button has the focus (autoFocus); Tab stays inside the dialog; Escape cancels.
    assert driver.switch_to.active_element.get_attribute("id") == "confirmModalButton"
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.get_attribute("class") == "close"
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    gone(driver, "#confirmModal")
    assert driver.switch_to.active_element.get_attribute("id") == "revokeAllSessionsButton"
    assert sessions_of(browser.base, "sysadmin") >= 1
    assert browser.console_errors() == []


@pytest.mark.parametrize("size", ["390x844"])
def test_usable_on_a_phone_sized_screen(phone_browser, size):
    browser = phone_browser
    driver = browser.driver
    phone = APIPhone(browser.base, "user-1")
    phone.log_in()
    driver.get(browser.base + "/login")
    find_by_text(driver, "Log in to your account")
    browser.screenshot(f"login-{size}")
    log_in_as(browser, *ADMIN)
    open_users_page(browser)
    wait_for_sessions(driver, "user-1", 1)
    browser.screenshot(f"users-{size}")

    width = driver.execute_script("return document.documentElement.clientWidth")
    scroll_width = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= width, "nothing runs off the side of a phone screen"
    cell = session_cell(driver, "user-1")
    assert cell.rect["x"] + cell.rect["width"] <= width

    button = get(driver, "#revokeAllSessionsButton")
    assert button.rect["x"] + button.rect["width"] <= width
    button.click()
    confirm = get(driver, "#confirmModalButton")
    assert confirm.rect["x"] >= 0 and confirm.rect["x"] + confirm.rect["width"] <= width
    browser.screenshot(f"revoke-all-modal-{size}")
    confirm.click()
    url_contains(driver, "/login")
    assert me_status(browser.base, phone.token) == 401
    assert browser.console_errors() == []


def test_the_pages_are_served_from_the_binary_with_a_strict_policy(server):
    import urllib.request

    with urllib.request.urlopen(server.url + "/login") as answer:
        policy = answer.headers["Content-Security-Policy"]
        page = answer.read().decode()
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "http://" not in page and "https://" not in page, "no CDN: everything comes from this server"
    # An unknown API path is still Mattermost's JSON 404, not a page.
    answer = request(server.url, "GET", "/no/such/api")
    assert answer.status == 404 and answer.json["id"] == "api.context.404.app_error"
    assert admin_token(server.url)


def test_a_revoke_from_elsewhere_sends_the_open_page_to_login_with_mattermosts_notice(browser):
    driver = browser.driver
    log_in_as(browser, *ADMIN)
    open_users_page(browser)

    # Another admin (the terminal app's console, say) revokes every session: the open page follows at its next poll.
    answer = request(browser.base, "POST", "/users/sessions/revoke/all", {}, token=admin_token(browser.base))
    assert answer.status == 200
    url_contains(driver, "/login", timeout=2)
    assert get(driver, "#loginAlert").text == "Your session has expired. Please log in again."

    # Logging in again returns to the console page it came from.
    get(driver, "#input_loginId").send_keys(ADMIN[0])
    get(driver, "#input_password-input").send_keys(ADMIN[1] + "\n")
    url_contains(driver, USERS_PATH)
    open_users_page(browser)
    # Chromium notes the 401 answers of the poll that found the session gone.
    assert browser.console_errors(allowed=["Failed to load resource: the server responded with a status of 401"]) == []


def test_many_users_page_by_fifty_and_a_search_finds_one(crowded_browser):
    browser = crowded_browser
    driver = browser.driver
    log_in_as(browser, *ADMIN)
    open_users_page(browser)
    count = get(driver, "#userCount")
    # sysadmin and user-1…user-120, by username: 121 users in pages of 50.
    wait_until(lambda: count.text == "Users 1–50", 10, f"the first page (it says {count.text!r})")
    rows = driver.find_elements("css selector", "#systemUsersTable tbody tr")
    assert len(rows) == 50
    previous, following = get(driver, "#previousPage"), get(driver, "#nextPage")
    assert not previous.is_enabled() and following.is_enabled()
    following.click()
    wait_until(lambda: count.text == "Users 51–100", 10, f"the second page (it says {count.text!r})")
    following.click()
    wait_until(lambda: count.text == "Users 101–121", 10, f"the last page (it says {count.text!r})")
    assert not following.is_enabled() and previous.is_enabled()
    browser.screenshot("users-last-page-1280x800")

    # A phone logs in as a user far down the list; the search finds the row and it follows the session live.
    phone = APIPhone(browser.base, "user-115")
    phone.log_in()
    search = get(driver, "#searchUsers")
    search.send_keys("user-11")
    wait_until(lambda: count.text == "11 users matching “user-11”", 10, f"the matches (it says {count.text!r})")
    assert not driver.find_element("css selector", "#usersPager").is_displayed(), "no pages for a search"
    wait_for_sessions(driver, "user-115", 1, timeout=2.0)
    get(driver, '#systemUsersTable tr[data-username="user-115"] button[aria-label="Revoke sessions of user-115"]').click()
    get(driver, "#confirmModalButton").click()
    wait_for_sessions(driver, "user-115", 0, timeout=2.0)
    assert me_status(browser.base, phone.token) == 401

    search.clear()
    search.send_keys("user")
    wait_until(lambda: count.text.startswith("The first 50 users matching “user”"), 10, f"a capped search ({count.text!r})")
    search.send_keys("-nobody")
    wait_until(lambda: count.text == "No users match “user-nobody”", 10, f"no match ({count.text!r})")
    assert driver.find_elements("css selector", "#systemUsersTable tbody tr") == []
    assert browser.console_errors() == []
