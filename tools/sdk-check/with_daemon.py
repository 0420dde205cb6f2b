#!/usr/bin/env python3
"""Runs a client program against a fresh default openalgod (as tools/run.sh configures it).

Usage: with_daemon.py OPENALGOD_BINARY [--fake-broker PROGRAM ID] -- COMMAND [ARG...]
The command gets OPENALGO_HOST (http://127.0.0.1:PORT), OPENALGO_WS_PORT, OPENALGO_API_KEY (the
first user's, an administrator), and OPENALGOD_BINARY and OPENALGOD_DATA_DIR (for command-line steps
against the same data) in its environment; with --fake-broker, that broker's fake runs, the
daemon's plugin points at it (not logged in) and the command also gets the fake's settings (e.g.
ZERODHA_LOGIN_URL) as environment variables. Exit code: the command's."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon, FakeBroker  # noqa: E402


def main(argv):
    if "--" not in argv or len(argv) < 4:
        print(__doc__)
        return 2
    split = argv.index("--")
    options, command = argv[1:split], argv[split + 1:]
    binary, extra = options[0], options[1:]
    if extra and (len(extra) != 3 or extra[0] != "--fake-broker"):
        print(__doc__)
        return 2
    fake = FakeBroker(extra[1], extra[2]) if extra else None
    settings = fake.settings if fake else []
    try:
        with Daemon(binary, settings) as daemon:
            key = daemon.issue_api_key()
            daemon.start()
            environment = dict(os.environ, OPENALGO_HOST=daemon.host, OPENALGO_WS_PORT=str(daemon.ws_port),
                               OPENALGO_API_KEY=key, OPENALGOD_BINARY=os.path.abspath(binary),
                               OPENALGOD_DATA_DIR=daemon.data_dir)
            if fake:
                fake.daemon_at(daemon.host)
                environment.update(setting.split("=", 1) for setting in fake.settings)
            return subprocess.run(command, env=environment, check=False).returncode
    finally:
        if fake:
            fake.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
