/**
 * report.html in a real browser: Debian's chromium, headless, driven by playwright-core. The page
 * must load with no console error and no request beyond its own file, and its charts must render
 * (non-empty boxes) with the expected series. Skipped, with the reason, when chromium or
 * playwright-core is not installed (.ci/run installs chromium).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { comparisonWithReport, VARIANTS } from './report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-extensions', '--disable-dev-shm-usage', '--no-first-run'];

interface Playwright {
  chromium: { launch(options: object): Promise<Browser> };
}
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Page {
  on(event: 'console', f: (m: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', f: (e: Error) => void): void;
  on(event: 'request', f: (r: { url(): string }) => void): void;
  goto(url: string, options?: object): Promise<unknown>;
  evaluate<T>(expression: string): Promise<T>;
}

interface Chart {
  metric: string;
  width: number;
  height: number;
  series: { variant: string; length: number }[];
}

const CHARTS_IN_PAGE = `[...document.querySelectorAll('figure')].map((f) => {
  const box = f.querySelector('svg').getBoundingClientRect();
  return {
    metric: f.getAttribute('data-metric'),
    width: box.width,
    height: box.height,
    series: [...f.querySelectorAll('polyline.series')].map((p) => ({ variant: p.getAttribute('data-variant'), length: p.getTotalLength() })),
  };
})`;

async function loadPlaywright(): Promise<Playwright | string> {
  if (!existsSync(CHROMIUM)) return `chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
  try {
    // A variable specifier: playwright-core is optional, and tsc must not require its types.
    const name = 'playwright-core';
    return (await import(name)) as Playwright;
  } catch {
    return 'playwright-core is not installed (npm install --save-dev playwright-core)';
  }
}

test('report.html renders in headless chromium without errors', async (t) => {
  const playwright = await loadPlaywright();
  if (typeof playwright === 'string') {
    t.skip(playwright);
    return;
  }
  const { file } = await comparisonWithReport();
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [pathToFileURL(file).href], 'no request beyond the page itself');
    // In-page code as a string: this project compiles without the DOM typings.
    const charts = await page.evaluate<Chart[]>(CHARTS_IN_PAGE);
    assert.ok(charts.length >= 8, `charts: ${charts.length}`);
    for (const c of charts) {
      assert.ok(c.width > 100 && c.height > 30, `${c.metric} is rendered`);
      assert.deepEqual(c.series.map((s) => s.variant), VARIANTS, `${c.metric} has a line per variant`);
    }
    const requestsChart = charts.find((c) => c.metric === 'requests')!;
    assert.ok(requestsChart.series.every((s) => s.length > 0), 'the request-rate lines are drawn');
  } finally {
    await browser.close();
  }
});
