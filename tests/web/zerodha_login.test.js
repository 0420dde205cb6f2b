// Logging in to Zerodha from the control page, against the Kite fake (run with
// `with_daemon.py --fake-broker ... zerodha`): the page asks for the login URL with a one-time state,
// Kite's login page redirects to /zerodha/callback with the request token and the state, and the
// daemon sends the browser back to the page, logged in.
'use strict';

const { host, apiKey, run } = require('./browser');

const kite = new URL(process.env.ZERODHA_LOGIN_URL).origin;

run('Zerodha login from the control page', async (page, checks) => {
  await page.goto(`${host}/`);
  await page.fill('#apikey', apiKey);
  await page.click('#key-form button');
  const login = page.locator('#broker-logins button[data-broker="zerodha"]');
  await login.waitFor();

  const kiteVisits = [];
  page.on('request', (request) => {
    if (request.url().startsWith(kite)) kiteVisits.push(new URL(request.url()));
  });
  await login.click();
  await page.waitForURL(`${host}/?login=zerodha`);
  checks.equal('the browser went through Kite\'s login page', kiteVisits.map((url) => url.pathname), ['/connect/login']);
  const state = new URLSearchParams(kiteVisits[0]?.searchParams.get('redirect_params') ?? '').get('state') ?? '';
  checks.true('with a one-time state in redirect_params', /^[0-9a-f]{32}$/.test(state), state);
  await page.locator('#notice.ok').waitFor();
  checks.equal('the page says so', await page.locator('#notice').innerText(), 'Logged in to zerodha');
  await page.locator('#active-broker', { hasText: 'zerodha' }).waitFor();
  checks.equal('Zerodha is the active broker', await page.locator('#active-broker').innerText(), 'zerodha');

  // The same callback again (a replayed or forged link) is refused: its state is spent.
  await page.goto(`${host}/zerodha/callback?request_token=req-token-1&action=login&status=success&state=${state}`);
  await page.locator('#notice.error').waitFor();
  checks.true('a replayed callback comes back refused', (await page.locator('#notice').innerText())
    .startsWith('Broker login failed: This login\'s state is unknown, used or expired'),
              await page.locator('#notice').innerText());
}, [kite]);
