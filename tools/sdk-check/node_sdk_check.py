#!/usr/bin/env python3
"""Runs node_sdk_check.js (the official OpenAlgo Node.js SDK) against a fresh default openalgod.

Usage: node_sdk_check.py OPENALGOD_BINARY NODE_MODULES_DIR, where NODE_MODULES_DIR holds `openalgo` as
`npm ci` installs it from node/package-lock.json. Exit code: the Node script's (0 all checks passed)."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary, node_modules = sys.argv[1], sys.argv[2]
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_sdk_check.js")
    with Daemon(binary) as daemon:
        daemon.start()
        environment = dict(os.environ, NODE_PATH=node_modules, OPENALGO_HOST=daemon.host,
                           OPENALGO_API_KEY=daemon.issue_api_key())
        return subprocess.run(["node", script], env=environment, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
