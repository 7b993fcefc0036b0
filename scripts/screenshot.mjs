// Takes a screenshot of a page once every ua-source on it has a Report (or failed).
// Usage: node scripts/screenshot.mjs URL OUT.png [width] [height] [--dark] [--lang=zh-CN] [--endpoint]
//   [--system-dark] (prefers-color-scheme: dark on the page as it is) [--fail] (every /report
//   request answers 503: the error state) [--full] (the whole page)
import puppeteer from 'puppeteer-core';

const [url, out, width = '1280', height = '1600'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--hide-scrollbars'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: Number(width), height: Number(height) });
  if (flags.includes('--system-dark')) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  }
  if (flags.includes('--fail')) {
    await page.evaluateOnNewDocument(() => {
      const real = window.fetch;
      window.fetch = (input, init) =>
        String(input instanceof Request ? input.url : input).includes('/report')
          ? Promise.resolve(new Response('down', { status: 503, statusText: 'Service Unavailable' }))
          : real(input, init);
    });
  }
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
  await page.goto(url, { waitUntil: 'load' });
  const choose = async (name, value) =>
    page.evaluate(
      (n, v) => {
        const input = document.querySelector(`input[name="${n}"][value="${v}"]`);
        if (input) input.click();
      },
      name,
      value,
    );
  if (flags.includes('--dark')) await choose('theme', 'dark');
  const lang = flags.find((f) => f.startsWith('--lang='));
  if (lang) await choose('lang', lang.slice(7));
  if (flags.includes('--endpoint')) await choose('mode', 'endpoint');
  await page.waitForFunction(
    () => {
      const sources = [...document.querySelectorAll('ua-source')];
      const dash = document.querySelector('ua-dashboard');
      const inner = dash?.shadowRoot?.querySelector('ua-source');
      if (inner) sources.push(inner);
      return (
        sources.length > 0 &&
        sources.every((s) => ['ready', 'error'].includes(s.store?.report?.status))
      );
    },
    { timeout: 60_000, polling: 200 },
  );
  await new Promise((r) => setTimeout(r, 1500)); // lazy chart.js and the first chart frame
  await page.screenshot({ path: out, fullPage: flags.includes('--full') });
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
}
