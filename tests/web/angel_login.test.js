// Logging in to Angel One from the control page, against the SmartAPI fake (run with
// `with_daemon.py --fake-broker ... angel`): the page asks for a one-time login state, posts the form to
// the daemon's /angel/callback, and Angel becomes the active broker; the analyzer switch then works both ways.
'use strict';

const { host, apiKey, run } = require('./browser');

async function post(path, fields = {}) {
  const reply = await fetch(`${host}${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apikey: apiKey, ...fields }),
  });
  return reply.json();
}

run('Angel login from the control page', async (page, checks) => {
  await page.goto(`${host}/`);
  await page.fill('#apikey', apiKey);
  await page.click('#key-form button');
  const login = page.locator('#broker-logins button[data-broker="angel"]');
  await login.waitFor();
  checks.true('a login button for each broker with a login, none for the simulator',
              await page.locator('#broker-logins button[data-broker="simulator"]').count() === 0, 'simulator listed');

  await login.click();
  await page.locator('#credentials-form').waitFor();
  await page.fill('#userid', 'A123456');
  await page.fill('#pin', '9999');
  await page.fill('#totp', '123456');
  await page.click('#credentials-form button');
  await page.locator('#login-result.error').waitFor();
  checks.equal('a wrong PIN shows SmartAPI\'s refusal', await page.locator('#login-result').innerText(),
               'Invalid clientcode or password (AB1007)');
  checks.equal('the PIN and TOTP are cleared after a try', [await page.inputValue('#pin'), await page.inputValue('#totp')],
               ['', '']);

  // SmartAPI allows one login a second (the plugin answers 429 past that), as a person typing would.
  await page.waitForTimeout(1100);
  await login.click();  // a state is spent by its first use: a new try asks for a new one
  await page.fill('#userid', 'A123456');
  await page.fill('#pin', '1234');
  await page.fill('#totp', '123456');
  await page.click('#credentials-form button');
  await page.locator('#login-result.ok').waitFor();
  checks.equal('the login succeeds', await page.locator('#login-result').innerText(), 'logged in to angel');
  await page.locator('#active-broker', { hasText: 'angel' }).waitFor();
  checks.equal('Angel is the active broker', (await post('/api/v1/ping')).data.broker, 'angel');

  // As in OpenAlgo, the stored mode is live: the simulator only forced analyzer mode while it was active.
  await page.locator('#analyzer-toggle[data-next="true"]').waitFor();
  checks.equal('with a real broker active the page shows live', await page.locator('#analyzer-mode').innerText(),
               'the broker (live)');
  await page.click('#analyzer-toggle');
  await page.locator('#analyzer-toggle[data-next="false"]').waitFor();
  checks.equal('the page switches the daemon to analyzer mode', (await post('/api/v1/analyzer')).data.analyze_mode, true);
  await page.click('#analyzer-toggle');
  await page.locator('#analyzer-toggle[data-next="true"]').waitFor();
  checks.equal('and back to live', (await post('/api/v1/analyzer')).data.analyze_mode, false);
});
