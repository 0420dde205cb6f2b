// What every browser test shares: Debian's Chromium driven by playwright-core (never a downloaded
// browser), the daemon from the environment (tools/sdk-check/with_daemon.py), named checks, and a
// record of every request that left the daemon's origin (there must be none: the UI is local).
'use strict';

const { chromium } = require('playwright-core');

const host = process.env.OPENALGO_HOST;
const apiKey = process.env.OPENALGO_API_KEY;

// Flags as the machine's notes give them: without the background-networking ones Chromium keeps
// trying Google's hosts, which this closed network refuses.
const chromiumFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                       '--disable-background-networking', '--disable-component-update', '--disable-sync'];

class Checks {
  constructor() { this.failed = []; this.passed = 0; }

  true(name, condition, detail) {
    if (condition) {
      this.passed += 1;
      console.log(`ok   ${name}`);
    } else {
      this.failed.push(name);
      console.log(`FAIL ${name}: ${detail}`);
    }
  }

  equal(name, actual, expected) {
    this.true(name, JSON.stringify(actual) === JSON.stringify(expected),
              `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }

  finish(what) {
    console.log(`${what}: ${this.passed} checks passed, ${this.failed.length} failed`);
    if (this.failed.length) console.log(`failed: ${this.failed.join('; ')}`);
    return this.failed.length ? 1 : 0;
  }
}

// Runs `scenario(page, checks)` in a fresh browser and exits with the result. `expectedOrigins`: other
// origins the scenario visits on purpose (a broker's login page).
function run(what, scenario, expectedOrigins = []) {
  (async () => {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
                                            args: chromiumFlags });
    const checks = new Checks();
    const foreign = [];
    try {
      const page = await browser.newPage();
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(host) && !expectedOrigins.some((origin) => url.startsWith(origin))) foreign.push(url);
      });
      await scenario(page, checks);
      checks.equal('nothing is loaded from outside the daemon', foreign, []);
    } finally {
      await browser.close();
    }
    return checks.finish(what);
  })().then((code) => process.exit(code), (error) => {
    console.log(`FAIL ${what} threw: ${error && error.stack}`);
    process.exit(1);
  });
}

module.exports = { host, apiKey, run };
