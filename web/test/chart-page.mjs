// Browser check of the chart page, driven by oracle.ops.ChartPageBrowserTest.
//
//   node web/test/chart-page.mjs <baseUrl> <symbol> <screenshotDir>
//
// Talks to the Java test over stdio, one JSON object per line: it prints a report for each stage
// ({"stage": ...}) and, where the test must act (publish a new candle), waits for a line on stdin
// that says what to expect. Any failure prints {"stage":"error",...} and exits 1. Uses the system
// Chromium (CHROMIUM, default /usr/bin/chromium); never downloads a browser. Every request that
// leaves the oracle's origin is blocked and reported, as is every console error or warning and every
// response of 400 or above. The market API is held back until the page's loading state has been
// seen; the last stage shows health with every breaker state (see the 'withheld' stage).
import { chromium } from 'playwright-core';
import readline from 'node:readline';
import path from 'node:path';

const [baseUrl, symbol, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !symbol) {
  console.error('usage: chart-page.mjs <baseUrl> <symbol> [screenshotDir]');
  process.exit(2);
}
const STEP_TIMEOUT_MS = 20000;
const origin = new URL(baseUrl).origin;

const lines = readline.createInterface({ input: process.stdin });
const inbox = [];
let waiting = null;
lines.on('line', (line) => {
  if (waiting) { const w = waiting; waiting = null; w(line); } else inbox.push(line);
});
function nextLine() {
  if (inbox.length) return Promise.resolve(inbox.shift());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no instruction from the test on stdin')), 60000);
    waiting = (line) => { clearTimeout(timer); resolve(line); };
  });
}
const report = (o) => process.stdout.write(JSON.stringify(o) + '\n');

/** Pixels of the up/down candle colours on the chart's canvases: proof that candles were drawn. */
function candlePixels() {
  const near = (d, i, r, g, b) => Math.abs(d[i] - r) < 10 && Math.abs(d[i + 1] - g) < 10 && Math.abs(d[i + 2] - b) < 10 && d[i + 3] > 200;
  let n = 0;
  for (const c of document.querySelectorAll('#chart canvas')) {
    if (!c.width || !c.height) continue;
    // Read through a copy made for reading back, so the check leaves no Canvas2D warning in the
    // console (the page's console must stay empty).
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4) if (near(d, i, 38, 166, 154) || near(d, i, 239, 83, 80)) n++;
  }
  return n;
}

function snapshot() {
  // Whether the element is what a reader sees at its centre (not covered by the chart). Inside
  // snapshot: page.evaluate sends this function alone to the page.
  const onTop = (el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top === el || el.contains(top);
  };
  const o = window.__oracle;
  const rows = (sel) => [...document.querySelectorAll(sel + ' tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent));
  const loading = document.getElementById('loading');
  const priceFields = {};
  for (const dt of document.querySelectorAll('#price dt')) priceFields[dt.textContent] = dt.nextElementSibling ? dt.nextElementSibling.textContent : null;
  return {
    loading: o.loading, loadingShown: !loading.hidden && getComputedStyle(loading).display !== 'none' && onTop(loading),
    loadingText: loading.textContent, priceFields, priceStatus: o.priceStatus,
    priceSymbol: o.price ? o.price.symbol : null, priceApiStatus: o.price ? o.price.status || null : null,
    usedTitle: document.getElementById('sources-used-title').textContent,
    exchangeStates: Object.fromEntries([...document.querySelectorAll('#exchanges li')].filter((li) => li.children.length === 2)
      .map((li) => [li.children[0].textContent, li.children[1].textContent])),
    healthSummary: document.getElementById('health-summary').textContent,
    ready: o.ready, symbol: o.symbol, resolution: o.resolution, candleCount: o.candleCount,
    lastCandle: o.lastCandle, streamState: o.streamState, streamEvents: o.streamEvents, errors: o.errors,
    candleCountText: document.getElementById('candle-count').textContent,
    lastPriceText: document.getElementById('last-price').textContent,
    symbols: [...document.querySelectorAll('#symbol option')].map((x) => x.value),
    sourcesUsed: rows('#sources-used'), sourcesDropped: rows('#sources-dropped'),
    priceText: document.getElementById('price').textContent,
    healthExchanges: o.health && o.health.exchanges ? Object.keys(o.health.exchanges) : null,
    exchangesShown: [...document.querySelectorAll('#exchanges li')].map((li) => li.textContent)
  };
}

/** The page's icon, asked as the browser asks it: its status and type. */
async function icon() {
  const link = document.querySelector('link[rel="icon"]');
  if (!link) return null;
  const res = await fetch(link.href, { cache: 'no-store' });
  return { href: link.getAttribute('href'), status: res.status, type: res.headers.get('content-type') };
}

const external = [];
let page = null;        // for the error report's snapshot
const pageErrors = [];    // uncaught exceptions in the page
const consoleErrors = []; // console errors and warnings (failed requests among them)
const badResponses = [];  // responses of 400 or above, with their URL
const iconResponses = []; // what the browser itself fetched as the icon, if it did
let releaseApi;           // opens the market API once the loading state was seen
const apiGate = new Promise((resolve) => { releaseApi = resolve; });
let healthExchanges = null; // breaker states added to the real /health answer (last stage)
let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.type() + ': ' + m.text()); });
  page.on('response', (r) => {
    if (r.status() >= 400) badResponses.push(r.status() + ' ' + r.url());
    if (/favicon/.test(r.url())) iconResponses.push(r.status() + ' ' + r.url());
  });
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (!(url.startsWith(origin + '/') || url === origin)) {
      external.push(url);
      return route.abort();
    }
    if (/\/api\/v1\/market\/(ohlcv|prices?)\b/.test(url)) await apiGate;
    if (healthExchanges && new URL(url).pathname === '/api/v1/health') {
      const real = await route.fetch();
      const body = await real.json();
      body.exchanges = Object.assign({}, body.exchanges, healthExchanges);
      return route.fulfill({ response: real, json: body });
    }
    return route.continue();
  });

  // ---- before any candle or price arrives: the loading state
  await page.goto(baseUrl + '/?' + new URLSearchParams({ symbol, resolution: '1m' }), { waitUntil: 'load' });
  await page.waitForFunction(() => window.__oracle && window.__oracle.symbol !== null, null, { timeout: STEP_TIMEOUT_MS });
  await page.waitForTimeout(200);
  report({ stage: 'loading', ...(await page.evaluate(snapshot)) });
  if (screenshotDir) await page.screenshot({ path: path.join(screenshotDir, 'chart-page-loading.png') });
  releaseApi();

  // ---- 1m: history drawn, stream live
  await page.waitForFunction(() => window.__oracle && window.__oracle.ready && window.__oracle.candleCount > 0
      && window.__oracle.streamState === 'live', null, { timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(() => window.__oracle.price !== null
      && document.querySelectorAll('#sources-used tbody tr').length > 0, null, { timeout: STEP_TIMEOUT_MS });
  await page.waitForTimeout(300); // one animation frame or two for the canvas paint
  report({ stage: 'history-1m', ...(await page.evaluate(snapshot)), candlePixels: await page.evaluate(candlePixels),
    icon: await page.evaluate(icon) });
  if (screenshotDir) await page.screenshot({ path: path.join(screenshotDir, 'chart-page-1m.png') });

  // ---- the test publishes a new candle; the open candle must follow
  let expect = JSON.parse(await nextLine());
  await page.waitForFunction((e) => window.__oracle.lastCandle && window.__oracle.lastCandle.close === e.close,
      expect, { timeout: STEP_TIMEOUT_MS });
  report({ stage: 'live-1m', ...(await page.evaluate(snapshot)) });

  // ---- 5m: the minute folds into the open 5-minute bucket
  await page.selectOption('#resolution', '5m');
  await page.waitForFunction(() => window.__oracle.ready && window.__oracle.resolution === '5m'
      && window.__oracle.candleCount > 0 && window.__oracle.streamState === 'live', null, { timeout: STEP_TIMEOUT_MS });
  report({ stage: 'history-5m', ...(await page.evaluate(snapshot)) });
  expect = JSON.parse(await nextLine());
  await page.waitForFunction((e) => window.__oracle.lastCandle && window.__oracle.lastCandle.close === e.close,
      expect, { timeout: STEP_TIMEOUT_MS });
  await page.waitForTimeout(300);
  report({ stage: 'live-5m', ...(await page.evaluate(snapshot)), candlePixels: await page.evaluate(candlePixels),
    consoleErrors: consoleErrors.splice(0), badResponses: badResponses.splice(0) });
  if (screenshotDir) await page.screenshot({ path: path.join(screenshotDir, 'chart-page-5m.png') });

  // ---- the stream drops (the test redeploys the HTTP verticle) while a candle changes: on
  // reconnect the page reloads the history, so the change the stream never delivered still shows.
  expect = JSON.parse(await nextLine());
  const t0 = Date.now();
  await page.waitForFunction(() => window.__oracle.streamState !== 'live', null, { timeout: 80000, polling: 50 });
  const whileDown = await page.evaluate(() => window.__oracle.streamState);
  const downAfterMs = Date.now() - t0;
  await page.waitForFunction((e) => window.__oracle.streamState === 'live' && window.__oracle.ready
      && window.__oracle.lastCandle && window.__oracle.lastCandle.close === e.close, expect, { timeout: 60000 });
  // What the browser logged while the oracle was away (refused connections) is its own, not the page's.
  report({ stage: 'reconnected', whileDown, downAfterMs, backAfterMs: Date.now() - t0, ...(await page.evaluate(snapshot)),
    outageConsole: consoleErrors.splice(0), outageResponses: badResponses.splice(0) });

  // ---- a withheld price (the test seeded the second symbol so) and every breaker state: the
  // health answer is the oracle's own plus one exchange per state a test oracle cannot hold still
  // (its one exchange's breaker stays closed), as the page reads them from any /health.
  const withheld = JSON.parse(await nextLine());
  healthExchanges = withheld.exchanges;
  const second = withheld.symbol;
  await page.goto(baseUrl + '/?' + new URLSearchParams({ symbol: second, resolution: '1m' }), { waitUntil: 'load' });
  await page.waitForFunction((s) => window.__oracle.ready && window.__oracle.symbol === s && window.__oracle.price
      && window.__oracle.price.symbol === s && window.__oracle.health
      && document.querySelectorAll('#exchanges li').length >= 3, second, { timeout: STEP_TIMEOUT_MS });
  report({ stage: 'withheld', ...(await page.evaluate(snapshot)) });
  if (screenshotDir) await page.screenshot({ path: path.join(screenshotDir, 'chart-page-withheld.png') });

  // ---- a symbol without a price yet: said so, with nothing in the console
  const unpriced = JSON.parse(await nextLine()).symbol;
  await page.goto(baseUrl + '/?' + new URLSearchParams({ symbol: unpriced, resolution: '1m' }), { waitUntil: 'load' });
  await page.waitForFunction((s) => window.__oracle.ready && window.__oracle.symbol === s
      && document.querySelector('#price dd') && document.querySelector('#price dd').textContent === 'no price yet',
      unpriced, { timeout: STEP_TIMEOUT_MS });
  report({ stage: 'no-price', ...(await page.evaluate(snapshot)) });

  report({ stage: 'done', external, pageErrors, consoleErrors, badResponses, iconResponses });
  await browser.close();
  process.exit(0);
} catch (e) {
  let snap = null; try { snap = page ? await page.evaluate(snapshot) : null; } catch (x) {}
  report({ stage: 'error', message: String(e && e.stack ? e.stack : e), external, pageErrors, consoleErrors, snapshot: snap });
  if (browser) await browser.close().catch(() => {});
  process.exit(1);
}
