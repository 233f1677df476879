"""Selenium helpers that read like the Cypress commands Mattermost's specs use."""

from harness import ADMIN, USERS_PATH, api_login, request, wait_until

TIMEOUT = 10


def find_by_text(scope, text):
    """Testing Library's findByText: the visible element whose own text is exactly `text`."""
    from selenium.webdriver.common.by import By

    literal = "concat('" + text.replace("'", "', \"'\", '") + "', '')"
    xpath = f".//*[normalize-space(text())=normalize-space({literal})]"

    def visible():
        return next((node for node in scope.find_elements(By.XPATH, xpath) if node.is_displayed()), None)

    return wait_until(visible, TIMEOUT, f"visible text {text!r}")


def get(driver, css, timeout=TIMEOUT):
    """cy.get(css).should('be.visible')."""
    from selenium.webdriver.common.by import By

    def visible():
        return next((node for node in driver.find_elements(By.CSS_SELECTOR, css) if node.is_displayed()), None)

    return wait_until(visible, timeout, f"visible {css}")


def gone(driver, css):
    """cy.get(css).should('not.exist')."""
    from selenium.webdriver.common.by import By

    wait_until(lambda: not driver.find_elements(By.CSS_SELECTOR, css), TIMEOUT, f"{css} removed")


def url_contains(driver, part, timeout=TIMEOUT):
    wait_until(lambda: part in driver.current_url, timeout, f"URL containing {part} (at {driver.current_url})")


def api_login_in_browser(browser, username, password):
    """cy.apiLogin: a login over the API whose cookies the browser then carries (as the web app's would)."""
    answer = request(browser.base, "POST", "/users/login", {"login_id": username, "password": password})
    assert answer.status == 200, answer.body
    browser.driver.get(browser.base + "/login")
    for header in answer.headers.get_all("Set-Cookie"):
        name, value = header.split(";", 1)[0].split("=", 1)
        browser.driver.add_cookie({"name": name, "value": value, "path": "/", "httpOnly": name == "MMAUTHTOKEN"})
    return answer.headers["Token"], answer.json


def api_admin_login(browser):
    return api_login_in_browser(browser, *ADMIN)


def log_in_with_form(browser, username, password):
    """What a person does on /login: the username, then the password, then Enter in the password field."""
    from selenium.webdriver.common.keys import Keys

    driver = browser.driver
    driver.get(browser.base + "/login")
    find_by_text(driver, "Log in to your account")
    login = get(driver, "#input_loginId")
    login.clear()
    login.send_keys(username)
    password_field = get(driver, "#input_password-input")
    password_field.clear()
    password_field.send_keys(password + Keys.ENTER)


def log_in_as(browser, username, password):
    """The form login, then wait for the console page it leads to."""
    log_in_with_form(browser, username, password)
    url_contains(browser.driver, USERS_PATH)


def session_cell(driver, username):
    return get(driver, f'#systemUsersTable tr[data-username="{username}"] td[data-column="sessions"]')


def wait_for_sessions(driver, username, count, timeout=1.0):
    """The table shows `count` sessions for `username` within `timeout` seconds (the page updates live)."""
    wait_until(lambda: session_cell(driver, username).get_attribute("data-count") == str(count), timeout,
               f"{username} with {count} session(s) in the table")


def open_users_page(browser):
    if USERS_PATH not in browser.driver.current_url:
        browser.driver.get(browser.base + USERS_PATH)
    wait_until(lambda: session_cell(browser.driver, "sysadmin").get_attribute("data-count") not in (None, "?"),
               TIMEOUT, "the users table filled in")


def me_status(base, token):
    return request(base, "GET", "/users/me", token=token).status


def admin_token(base):
    return api_login(base, *ADMIN)[0]
