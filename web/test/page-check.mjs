// One page in headless Chromium, driven by oracle.ops.PagesBrowserTest:
//
//   node web/test/page-check.mjs <url> <selector> <screenshotFile>
//
// Loads the page, waits until <selector> is visible, and prints one JSON line: how many elements
// match, their first texts, uncaught page errors, console errors, and the requests that tried to leave
// the page's origin (blocked). Exits 1 with {"error": ...} when the selector never shows. Uses the
// system Chromium (CHROMIUM, default /usr/bin/chromium); never downloads a browser.
import { chromium } from 'playwright-core';

const [url, selector, screenshot] = process.argv.slice(2);
const origin = new URL(url).origin;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const result = { pageErrors: [], consoleErrors: [], external: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:')) return route.continue();
    result.external.push(u);
    return route.abort();
  });
  await page.goto(url);
  await page.waitForSelector(selector, { state: 'visible', timeout: 20000 });
  const texts = await page.$$eval(selector, (els) => els.map((e) => e.textContent.trim().replace(/\s+/g, ' ').slice(0, 120)));
  result.count = texts.length;
  result.texts = texts.slice(0, 40);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (e) {
  result.error = String(e);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = 1;
} finally {
  await browser.close();
}
