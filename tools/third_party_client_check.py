#!/usr/bin/env python3
"""Drives mmsim's embedded server with mattermostdriver, a Mattermost API v4 client written by others (PyPI).

Usage: python3 tools/third_party_client_check.py http://127.0.0.1:8065
Logs in as user-1, reads /users/me, lists and revokes its sessions, and expects the 401 afterwards.
Exit 0 when every step behaves as Mattermost does.
"""
import sys
from urllib.parse import urlparse

from mattermostdriver import Driver
from mattermostdriver.exceptions import NoAccessTokenProvided


def main(url: str) -> int:
    parts = urlparse(url)
    driver = Driver({"url": parts.hostname, "port": parts.port or 80, "scheme": parts.scheme,
                     "login_id": "user-1", "password": "SampleUser@1", "basepath": "/api/v4", "verify": False})
    driver.login()
    me = driver.users.get_user("me")
    assert me["username"] == "user-1", me
    print(f"login + /users/me: ok ({me['username']}, roles {me['roles']!r})")
    sessions = driver.users.get_user_sessions(me["id"])
    assert sessions and all(s["token"] == "" for s in sessions), sessions
    print(f"list sessions: ok ({len(sessions)} session(s), tokens blanked)")
    driver.users.revoke_all_user_sessions(me["id"])
    print("revoke all sessions of user-1: ok")
    try:
        driver.users.get_user("me")
    except NoAccessTokenProvided as error:  # the driver's name for a 401
        print(f"/users/me afterwards: 401 as expected ({error.args[0] if error.args else ''})")
        return 0
    print("expected a 401 after the revocation, got an answer")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8065"))
