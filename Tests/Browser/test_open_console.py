"""`mmsim --open-console`: the terminal app opens the web System Console with xdg-open where there is a desktop,
and says where to browse where there is none."""

import os
import re

from harness import TerminalApp, USERS_PATH, wait_until


def test_with_a_desktop_xdg_open_gets_the_console_url(tmp_path):
    # A stand-in xdg-open first on PATH records what it was asked to open.
    opened = tmp_path / "opened"
    script = tmp_path / "xdg-open"
    script.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    script.chmod(0o755)
    app = TerminalApp("--ephemeral --port 0 --open-console",
                      env=f"-u WAYLAND_DISPLAY DISPLAY=:99 PATH={tmp_path}:{os.environ['PATH']}")
    try:
        screen = app.wait_for("Log in to your account", timeout=60)
        server = re.search(r"http://127\.0\.0\.1:\d+", screen).group(0)
        wait_until(opened.exists, 10, "xdg-open called")
        assert opened.read_text().strip() == server + USERS_PATH
        app.wait_for("System Console opened in the browser")
    finally:
        app.stop()


def test_without_a_desktop_the_status_line_names_the_url():
    app = TerminalApp("--ephemeral --port 0 --open-console", env="-u DISPLAY -u WAYLAND_DISPLAY")
    try:
        screen = app.wait_for("Log in to your account", timeout=60)
        server = re.search(r"http://127\.0\.0\.1:\d+", screen).group(0)
        app.wait_for(f"no desktop: browse to {server}/")
    finally:
        app.stop()
