"""A fresh openalgod for the SDK checks: the same defaults as tools/run.sh (simulator broker, analyzer
mode, SQLite), in a throw-away data directory, on ports the kernel picks."""

import os
import re
import shutil
import subprocess
import tempfile
import time

_LISTENING = re.compile(r"listening on https?://[^:\s]+:(\d+)")
_FEED = re.compile(r"websocket feed on ws://[^:\s]+:(\d+)")
PASSWORD = "Sdk-check-1!"
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Daemon:
    def __init__(self, binary, settings=()):
        """settings: KEY=VALUE lines, given to the daemon and to every command as --set flags."""
        self.binary = binary
        # Plugins next to the binary, as the build lays them out.
        plugins = os.path.join(os.path.dirname(os.path.abspath(binary)), "plugins")
        self.flags = [flag for setting in (f"PLUGIN_DIRS={plugins}", *settings) for flag in ("--set", setting)]
        self.data_dir = tempfile.mkdtemp(prefix="openalgod-sdk-")
        self.log_path = os.path.join(self.data_dir, "daemon.out")
        self.process = None
        self.http_port = None
        self.ws_port = None

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()

    @property
    def host(self):
        return f"http://127.0.0.1:{self.http_port}"

    def start(self):
        # As tools/run.sh starts it: from the source tree, where its bundled data files are.
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data-dir", self.data_dir, "--port", "0",
             "--set", "WEBSOCKET_PORT=0", *self.flags],
            cwd=SOURCE_ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = self.output()
            http, ws = _LISTENING.search(text), _FEED.search(text)
            if http and ws:
                self.http_port, self.ws_port = int(http.group(1)), int(ws.group(1))
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"openalgod did not start:\n{self.output()}")

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def cli(self, *args, stdin=None):
        result = subprocess.run([self.binary, *args, "--data-dir", self.data_dir, *self.flags], cwd=SOURCE_ROOT,
                                input=stdin, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"openalgod {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def issue_api_key(self, username="admin"):
        """The README's two steps: add the first user, issue their key."""
        self.cli("user", "add", "--username", username, "--password-stdin", stdin=PASSWORD + "\n")
        return self.cli("apikey", "issue", "--username", username).strip()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class FakeBroker:
    """A loopback broker fake (`fake-broker ID`, tests/fakes) as a child process: `settings` point a
    daemon's plugin at it; it stops when its stdin closes."""

    def __init__(self, program, broker):
        self.process = subprocess.Popen([program, broker], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.settings = []
        for line in self.process.stdout:
            if line.strip() == "ready":
                return
            self.settings.append(line.strip())
        raise RuntimeError(f"{program} {broker} did not start")

    def daemon_at(self, host):
        """Where the daemon serves: an OAuth fake redirects its logins to the callback there."""
        self.process.stdin.write(f"daemon {host}\n")
        self.process.stdin.flush()

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)
