import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import CHROMEDRIVER, CHROMIUM, SCREENSHOTS, Server, binary  # noqa: E402


def _missing_tools():
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install selenium)")
    return missing


@pytest.fixture(scope="session", autouse=True)
def _tools():
    missing = _missing_tools()
    if missing:
        message = "browser tests need " + ", ".join(missing) + " (apt-get install chromium chromium-driver)"
        # A failure, never a skip: a skipped browser test would look like one that passed (.ci/run installs them).
        pytest.fail(message)
    if not os.access(binary(), os.X_OK):
        pytest.fail(f"no mmsim binary at {binary()}: run `swift build --product mmsim` first")


@pytest.fixture
def server():
    running = Server()
    yield running
    running.stop()


class Browser:
    """Headless Chromium at a given window size, with the browser log kept for the console-error check."""

    def __init__(self, base, width, height):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         f"--window-size={width},{height}", "--no-first-run", "--disable-extensions",
                         "--disable-background-networking", "--disable-component-update"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An explicit driver path: Selenium Manager never runs, nothing is downloaded.
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        # --window-size is the window's; make the page's viewport exactly width×height.
        inner = self.driver.execute_script("return [window.innerWidth, window.innerHeight]")
        outer = self.driver.get_window_size()
        self.driver.set_window_size(outer["width"] + width - inner[0], outer["height"] + height - inner[1])
        self.base = base
        self.log = []

    def console_errors(self, allowed=()):
        """SEVERE browser-log entries (script errors, CSP violations, failed loads) not matching `allowed`."""
        self.log += self.driver.get_log("browser")
        return [entry["message"] for entry in self.log
                if entry["level"] == "SEVERE" and not any(text in entry["message"] for text in allowed)]

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def quit(self):
        self.driver.quit()


@pytest.fixture
def browser(server):
    opened = Browser(server.url, 1280, 800)
    yield opened
    opened.quit()


@pytest.fixture
def phone_browser(server):
    """A phone-sized window (390×844, an iPhone 14's CSS pixels)."""
    opened = Browser(server.url, 390, 844)
    yield opened
    opened.quit()


@pytest.fixture
def crowded_browser():
    """1280×800 on a server with user-1…user-120 besides sysadmin: more users than one page holds."""
    running = Server("--users", "120")
    opened = Browser(running.url, 1280, 800)
    yield opened
    opened.quit()
    running.stop()


@pytest.fixture
def browser_factory():
    """A 1280×800 browser on a server the test found itself (the terminal app's embedded one)."""
    opened = []

    def open_at(base):
        opened.append(Browser(base, 1280, 800))
        return opened[-1]

    yield open_at
    for each in opened:
        each.quit()
