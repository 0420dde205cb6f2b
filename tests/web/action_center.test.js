// The Action Center on the control page: a semi-auto user's orders wait there, the administrator
// approves one (it runs once, in the sandbox of the default daemon) and rejects another with a reason.
'use strict';

const { execFileSync } = require('child_process');
const { host, apiKey, run } = require('./browser');

function openalgod(...args) {
  return execFileSync(process.env.OPENALGOD_BINARY, [...args, '--data-dir', process.env.OPENALGOD_DATA_DIR],
                      { input: 'Trader-pass-1!\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

async function post(path, fields) {
  const reply = await fetch(`${host}${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields),
  });
  return reply.json();
}

function order(key, symbol, quantity) {
  return { apikey: key, strategy: 'web', symbol, exchange: 'NSE', action: 'BUY', quantity: String(quantity),
           pricetype: 'MARKET', product: 'CNC' };
}

run('the Action Center', async (page, checks) => {
  openalgod('user', 'add', '--username', 'trader', '--password-stdin');
  const traderKey = openalgod('apikey', 'issue', '--username', 'trader');
  openalgod('user', 'order-mode', 'semi_auto', '--username', 'trader');
  const first = await post('/api/v1/placeorder', order(traderKey, 'INFY', 3));
  checks.equal('a semi-auto order is queued', [first.status, first.mode], ['success', 'semi_auto']);
  const second = await post('/api/v1/placeorder', order(traderKey, 'SBIN', 500));

  page.on('dialog', (dialog) => dialog.accept('too large for today'));
  await page.goto(`${host}/`);
  await page.fill('#apikey', apiKey);
  await page.click('#key-form button');
  const rows = page.locator('#pending-orders tr');
  await rows.nth(1).waitFor();
  checks.equal('both orders wait, with who sent them and what they are',
               (await rows.evaluateAll((all) => all.map((row) => [row.cells[1].innerText, row.cells[3].innerText]))).sort(),
               [['trader', 'BUY 3 INFY NSE MARKET CNC'], ['trader', 'BUY 500 SBIN NSE MARKET CNC']]);

  await page.locator(`#pending-orders tr[data-id="${first.pending_order_id}"] button`, { hasText: 'Approve' }).click();
  await page.locator('#action-result.ok').waitFor();
  await page.locator('#pending-orders tr').nth(1).waitFor({ state: 'detached' });
  const book = await post('/api/v1/orderbook', { apikey: traderKey });
  checks.equal('the approved order ran once, as the trader\'s',
               book.data.orders.map((o) => [o.symbol, o.quantity]), [['INFY', 3]]);

  await page.locator(`#pending-orders tr[data-id="${second.pending_order_id}"] button`, { hasText: 'Reject' }).click();
  await page.locator('#pending-orders tr').first().waitFor({ state: 'detached' });
  const rejected = await post('/api/v1/admin/pendingorders', { apikey: apiKey, status: 'rejected' });
  checks.equal('the rejected order keeps the reason typed in the page',
               rejected.data.map((o) => [o.id, o.rejected_reason]), [[second.pending_order_id, 'too large for today']]);
  checks.equal('the rejected order never reached the sandbox',
               (await post('/api/v1/orderbook', { apikey: traderKey })).data.orders.length, 1);
});
