"""A Mattermost client library written by others (mattermostdriver, PyPI) against `mmsim serve`: it must
accept the embedded server as a Mattermost server (login, /users/me, sessions, revoke, the 401 after)."""

import subprocess
import sys

from harness import ROOT


def test_mattermostdriver_accepts_the_embedded_server(server):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "third_party_client_check.py"), server.url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "401 as expected" in result.stdout, result.stdout
