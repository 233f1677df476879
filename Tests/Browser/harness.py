"""The parts the browser tests drive: the built mmsim binary (server or terminal app), a phone speaking the
Mattermost API as the mobile app does, and Debian's Chromium through Selenium (no browser download)."""

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MMSIM_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MMSIM_CHROMEDRIVER", "/usr/bin/chromedriver")
SCREENSHOTS = Path(os.environ.get("MMSIM_SCREENSHOTS", ROOT / "out" / "browser-screenshots"))
ADMIN = ("sysadmin", "Sys@dmin-sample1")
USER_PASSWORD = "SampleUser@1"
USERS_PATH = "/admin_console/user_management/users"


def binary() -> Path:
    return Path(os.environ.get("MMSIM_BINARY", ROOT / ".build" / "debug" / "mmsim"))


def wait_until(condition, timeout, what, interval=0.05):
    """Polls `condition` until it returns something truthy; fails naming `what` and the last value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout} s (last: {last!r})")


class Server:
    """`mmsim serve --ephemeral --port 0 [extra…]`; the URL comes from the line it prints once it listens."""

    def __init__(self, *extra):
        self.process = subprocess.Popen(
            [str(binary()), "serve", "--ephemeral", "--port", "0", *extra], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        marker = "listening on "
        if marker not in line:
            self.stop()
            raise AssertionError(f"mmsim serve did not start: {line!r}")
        self.url = line.split(marker, 1)[1].split()[0]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class HTTPAnswer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body) if self.body else None


def request(base, method, path, body=None, token=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    fields = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        fields["Authorization"] = f"Bearer {token}"
    fields.update(headers or {})
    req = urllib.request.Request(base + "/api/v4" + path, data=data, method=method, headers=fields)
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            return HTTPAnswer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return HTTPAnswer(error.code, error.headers, error.read())


def api_login(base, username, password, device_id=""):
    """A login as a client makes it; returns (token, user)."""
    body = {"login_id": username, "password": password}
    if device_id:
        body["device_id"] = device_id
    answer = request(base, "POST", "/users/login", body,
                     headers={"User-Agent": "Mattermost Mobile/2.43.0 (Android; 14)"} if device_id else None)
    assert answer.status == 200, f"login of {username}: {answer.status} {answer.body!r}"
    return answer.headers["Token"], answer.json


class APIPhone:
    """A phone that speaks the API as mmsim's reference model does: login with a device id, an authenticated
    WebSocket while online; on reconnect the socket's challenge, then GET /users/me — a 401 means login screen."""

    def __init__(self, base, username, password=USER_PASSWORD):
        self.base = base
        self.username = username
        self.password = password
        self.device_id = uuid.uuid4().hex
        self.token = None
        self.user = None
        self.socket = None
        self.screen = "login"

    def log_in(self):
        self.token, self.user = api_login(self.base, self.username, self.password, self.device_id)
        self.screen = "channels"
        self.socket = self._open_socket()
        assert self.socket is not None, "a fresh session's WebSocket challenge must be answered with hello"

    def _open_socket(self):
        """The authentication challenge; the socket if a `hello` arrives, else None (the server closed it)."""
        import websocket  # websocket-client, installed with selenium

        socket = websocket.create_connection(self.base.replace("http", "ws", 1) + "/api/v4/websocket", timeout=5)
        socket.send(json.dumps({"seq": 1, "action": "authentication_challenge", "data": {"token": self.token}}))
        try:
            while True:
                message = json.loads(socket.recv())
                if message.get("event") == "hello":
                    return socket
        except (websocket.WebSocketConnectionClosedException, websocket.WebSocketTimeoutException, ValueError):
            socket.close()
            return None

    def go_offline(self):
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def reconnect(self):
        self.socket = self._open_socket()
        if request(self.base, "GET", "/users/me", token=self.token).status == 401:
            self.go_offline()
            self.token = None
            self.screen = "login"
        return self.screen

    def log_out(self):
        request(self.base, "POST", "/users/logout", token=self.token)
        self.go_offline()
        self.token = None
        self.screen = "login"


def sessions_of(base, username):
    """Counted by a fresh admin login over the API (whose own session is then in sysadmin's count)."""
    token, _ = api_login(base, *ADMIN)
    users = request(base, "GET", "/users?per_page=200", token=token).json
    user = next(u for u in users if u["username"] == username)
    answer = request(base, "GET", f"/users/{user['id']}/sessions", token=token)
    request(base, "POST", "/users/logout", token=token)
    return len(answer.json)


class TerminalApp:
    """The interactive app in a tmux server of its own (120×40), as a tester runs it."""

    def __init__(self, arguments, env=""):
        """`env` is put before the command as `env`'s own arguments (e.g. `-u DISPLAY PATH=...`)."""
        self.tmux = shutil.which("tmux")
        if self.tmux is None:
            raise AssertionError("tmux is missing: apt-get install tmux")
        self.socket = f"mmsim-browser-{uuid.uuid4().hex[:8]}"
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", "120", "-y", "40",
                   f"env {env} LANG=C.UTF-8 TERM=tmux-256color {binary()} {arguments}; sleep 30")

    def _tmux(self, *arguments):
        return subprocess.run([self.tmux, "-L", self.socket, *arguments], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL).stdout

    def screen(self):
        return self._tmux("capture-pane", "-t", "app", "-p")

    def wait_for(self, text, timeout=30):
        return wait_until(lambda: text in self.screen(), timeout, f"'{text}' on the terminal screen", 0.2) and \
            self.screen()

    def type(self, text):
        self._tmux("send-keys", "-t", "app", "-l", text)

    def key(self, name):
        self._tmux("send-keys", "-t", "app", name)

    def stop(self):
        self._tmux("kill-server")
