// The control page at / in a real browser, against the default daemon: the key is checked and kept in
// the tab, the analyzer switch asks the daemon (which keeps the simulator in analyzer mode).
'use strict';

const { host, apiKey, run } = require('./browser');

async function analyzeMode() {
  const reply = await fetch(`${host}/api/v1/analyzer`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ apikey: apiKey }),
  });
  return (await reply.json()).data.analyze_mode;
}

run('the control page', async (page, checks) => {
  await page.goto(`${host}/`);
  await page.locator('#health.ok').waitFor();
  checks.equal('health', await page.locator('#health').innerText(), 'ok');

  await page.fill('#apikey', 'not-a-key');
  await page.click('#key-form button');
  await page.locator('#key-result.error').waitFor();
  checks.true('a wrong key is refused with the API\'s message', (await page.locator('#key-result').innerText()).length > 0,
              'no message');
  checks.true('nothing else shows for a wrong key', await page.locator('#signed-in').isHidden(), 'shown');

  await page.fill('#apikey', apiKey);
  await page.click('#key-form button');
  await page.locator('#signed-in').waitFor();
  checks.equal('the active broker', await page.locator('#active-broker').innerText(), 'simulator');
  await page.reload();
  await page.locator('#signed-in').waitFor();
  checks.equal('the key is kept for the tab across a reload, not in the form',
               [await page.locator('#signed-in').isVisible(), await page.inputValue('#apikey')], [true, '']);

  await page.locator('#analyzer-toggle[data-next]').waitFor();
  checks.equal('analyzer mode shown', await page.locator('#analyzer-mode').innerText(), 'the sandbox (analyzer mode)');
  // The simulator takes no real orders, so the daemon keeps it in analyzer mode and says why.
  await page.click('#analyzer-toggle');
  await page.locator('#analyzer-result.ok').waitFor();
  checks.true('switching to live with the simulator explains why it stays',
              (await page.locator('#analyzer-result').innerText()).includes('takes no real orders'),
              await page.locator('#analyzer-result').innerText());
  checks.equal('the daemon stays in analyzer mode', await analyzeMode(), true);
});
