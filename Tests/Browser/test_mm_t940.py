"""Mattermost's own Cypress spec, e2e-tests/cypress/tests/integration/channels/system_console/
revoke_all_sessions_spec.js, ported step for step (cy.* → Selenium) against mmsim's web System Console."""

from harness import ADMIN, USER_PASSWORD, USERS_PATH, request
from pages import api_admin_login, api_login_in_browser, find_by_text, get, gone, url_contains

REVOKE_ALL_MESSAGE = ("This action revokes all sessions in the system. All users will be logged out from all devices, "
                      "including your session. Are you sure you want to revoke all sessions?")


def test_mm_t940_users_revoke_all_sessions_from_a_button_in_admin_console(browser):
    driver = browser.driver
    # # Login as System Admin
    api_admin_login(browser)

    driver.get(browser.base + USERS_PATH)

    # * Verify the presence of Revoke All Sessions button and click on it
    find_by_text(driver, "Revoke All Sessions").click()

    # * Verify the confirmation message when users clicks on the Revoke All Sessions button
    modal = get(driver, "#confirmModal")
    # * Verify the presence of confirmation messages and buttons
    find_by_text(modal, "Revoke all sessions in the system")
    find_by_text(modal, REVOKE_ALL_MESSAGE)
    find_by_text(modal, "Cancel")
    find_by_text(modal, "Revoke All Sessions")

    # # Click on Cancel button in the confirmation message
    find_by_text(modal, "Cancel").click()

    # * Verify if Confirmation message is closed
    gone(driver, "#confirmModal")

    # * Since we have cancelled the confirmation message, verify if the Admin's session is still active and user
    #   is still in the same page
    assert USERS_PATH in driver.current_url

    # # Open revoke all sessions modal again
    find_by_text(driver, "Revoke All Sessions").click()

    modal = get(driver, "#confirmModal")
    # # Click on Revoke All Sessions button in the confirmation message
    find_by_text(modal, "Revoke All Sessions").click()

    # * Verify if Admin User's session is expired and is redirected to login page
    url_contains(driver, "/login", timeout=30)
    find_by_text(driver, "Log in to your account")

    assert browser.console_errors() == []


def test_mm_t940_1_users_revoke_all_sessions_with_an_api_call(browser):
    driver = browser.driver
    # # Login as System Admin (for the API call below)
    admin_token = request(browser.base, "POST", "/users/login",
                          {"login_id": ADMIN[0], "password": ADMIN[1]}).headers["Token"]

    # # Login as a regular member and visit the app (mmsim's web app is the console; its page is where a
    #   member lands)
    api_login_in_browser(browser, "user-1", USER_PASSWORD)
    driver.get(browser.base + "/")
    get(driver, "#permissionError")

    # # Issue a Request to Revoke All Sessions as SysAdmin
    answer = request(browser.base, "POST", "/users/sessions/revoke/all", {}, token=admin_token)
    assert answer.status == 200, answer.body

    # # Initiate browser activity like a visit
    driver.get(browser.base + "/")

    # * Verify if the regular member is logged out and redirected to login page
    url_contains(driver, "/login", timeout=30)
    find_by_text(driver, "Log in to your account")

    # The page's first call after the revoke is answered 401, which Chromium logs as a failed load.
    assert browser.console_errors(allowed=["/api/v4/users/me - Failed to load resource: "
                                           "the server responded with a status of 401"]) == []
