"""Named expectations for the SDK checks: each prints one line, the run fails if any failed."""

import json


class Checks:
    def __init__(self):
        self.failed = []
        self.passed = 0

    def true(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed.append(name)
            print(f"FAIL {name}: {detail}")

    def equal(self, name, actual, expected):
        self.true(name, actual == expected, f"expected {expected!r}, got {actual!r}")

    def success(self, name, response):
        ok = isinstance(response, dict) and response.get("status") == "success"
        self.true(name, ok, json.dumps(response, default=str)[:500])

    def fields(self, name, record, names):
        missing = [n for n in names if n not in record]
        self.true(name, not missing, f"missing {missing} in {json.dumps(record, default=str)[:300]}")

    def finish(self, what):
        print(f"{what}: {self.passed} checks passed, {len(self.failed)} failed")
        if self.failed:
            print("failed: " + "; ".join(self.failed))
        return 1 if self.failed else 0
