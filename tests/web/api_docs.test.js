// /api/docs in a real browser: Swagger UI renders one operation per route of the daemon's OpenAPI
// document, and its "Try it out" sends a request the daemon answers.
'use strict';

const { host, apiKey, run } = require('./browser');

run('the API docs page', async (page, checks) => {
  const document = await (await fetch(`${host}/api/docs/openapi.json`)).json();
  const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);

  await page.goto(`${host}/api/docs`);
  await page.waitForSelector('.opblock', { timeout: 20000 });
  checks.equal('Swagger UI shows one operation per route', await page.locator('.opblock').count(), operations);
  checks.equal('the page title is the document\'s', (await page.locator('.info .title').innerText()).split('\n')[0].trim(),
               document.info.title);

  const ping = page.locator('#operations-default-POST_api_v1_ping');
  await ping.locator('.opblock-summary').click();
  await ping.locator('button.try-out__btn').click();
  await ping.locator('textarea.body-param__text').fill(JSON.stringify({ apikey: apiKey }));
  await ping.locator('button.execute').click();
  const answer = ping.locator('.live-responses-table .response-col_description pre');
  await answer.first().waitFor({ timeout: 20000 });
  const body = JSON.parse(await answer.first().innerText());
  checks.equal('Try it out: ping answers pong from the simulator', body,
               { data: { broker: 'simulator', message: 'pong' }, status: 'success' });
});
