/** report.html's content, read as text: self-contained, one line per variant per chart, the tables. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildReport } from '../../reports/html/report.js';
import { escapeHtml } from '../../reports/html/escape.js';
import { comparisonWithReport, VARIANTS } from './report-fixture.js';

test('the page needs nothing from the network and has no script', async () => {
  const { file } = await comparisonWithReport();
  const html = readFileSync(file, 'utf8');
  assert.match(html, /^<!doctype html>/);
  // The only URL is the SVG namespace, an identifier that is never fetched.
  assert.deepEqual([...new Set(html.match(/\bhttps?:\/\/[^\s"'<>)]+/g))], ['http://www.w3.org/2000/svg']);
  assert.doesNotMatch(html, /<script|<link|<img|@import|url\(/i);
});

test('every chart has one line per variant; bands where there are several runs', async () => {
  const { dir } = await comparisonWithReport();
  const html = await buildReport(dir);
  const figures = html.split('<figure').slice(1);
  assert.ok(figures.length >= 8, `charts: ${figures.length}`);
  for (const metric of ['replicas_ready', 'pods_pending', 'requests', 'latency_p99_ms', 'cpu_requested_ratio']) {
    assert.ok(figures.some((f) => f.includes(`data-metric="${metric}"`)), metric);
  }
  for (const f of figures) {
    const lines = [...f.matchAll(/<polyline class="series" data-variant="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(lines, VARIANTS);
  }
  const requests = figures.find((f) => f.includes('data-metric="requests"'))!;
  assert.equal([...requests.matchAll(/<polygon class="band"/g)].length, 2);
});

test('the comparison table and the event log are there', async () => {
  const { dir } = await comparisonWithReport();
  const html = await buildReport(dir);
  assert.match(html, /<table class="comparison">/);
  assert.match(html, /<tr class="significant"><td>requests<\/td><td>rate=90<\/td>/, 'three times the load: more requests, marked');
  assert.match(html, /<table class="events">/);
  assert.match(html, /<td>Scheduled<\/td>/);
});

test('escaping', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
