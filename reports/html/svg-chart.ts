/**
 * A line chart as inline SVG: one line per variant, each with its 95% band as a translucent
 * polygon. No script, no fonts, no network: the page renders the same offline and in print.
 * Each line carries `data-variant` so tests (and users' own scripts) can find the series.
 */
import { escapeHtml } from './escape.js';

export interface ChartSeries {
  variant: string;
  /** Points in time order; low/high NaN where there is no band (one run). */
  points: { t: number; mean: number; low: number; high: number }[];
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const W = 640;
const H = 220;
const M = { left: 56, right: 12, top: 10, bottom: 28 };

function tick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 10) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  return v.toPrecision(2);
}

export function lineChart(title: string, series: readonly ChartSeries[], colorOf: (variant: string) => string): string {
  const all = series.flatMap((s) => s.points);
  const ts = all.map((p) => p.t);
  const ys = all.flatMap((p) => [p.mean, p.low, p.high]).filter(Number.isFinite);
  const t0 = Math.min(...ts, 0);
  const t1 = Math.max(...ts, t0 + 1);
  let y0 = Math.min(...ys, 0);
  let y1 = Math.max(...ys, y0);
  if (y1 === y0) y1 = y0 + 1;
  const pad = (y1 - y0) * 0.05;
  y1 += pad;
  if (y0 < 0) y0 -= pad;
  const x = (t: number): number => M.left + ((t - t0) / (t1 - t0)) * (W - M.left - M.right);
  const y = (v: number): number => H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const f = (n: number): string => n.toFixed(1);
  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">`);
  // Axes and four horizontal grid lines with their values.
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${f(y(v))}" y2="${f(y(v))}" class="grid"/>`);
    parts.push(`<text x="${M.left - 4}" y="${f(y(v) + 4)}" text-anchor="end">${tick(v)}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    parts.push(`<text x="${f(x(t))}" y="${H - 8}" text-anchor="middle">${tick(t)} s</text>`);
  }
  for (const s of series) {
    const color = colorOf(s.variant);
    const banded = s.points.filter((p) => Number.isFinite(p.low) && Number.isFinite(p.high));
    if (banded.length > 1) {
      const upper = banded.map((p) => `${f(x(p.t))},${f(y(p.high))}`);
      const lower = banded.map((p) => `${f(x(p.t))},${f(y(p.low))}`).reverse();
      parts.push(`<polygon class="band" data-variant="${escapeHtml(s.variant)}" points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.18" stroke="none"/>`);
    }
    const line = s.points.filter((p) => Number.isFinite(p.mean)).map((p) => `${f(x(p.t))},${f(y(p.mean))}`);
    parts.push(`<polyline class="series" data-variant="${escapeHtml(s.variant)}" points="${line.join(' ')}" fill="none" stroke="${color}" stroke-width="1.6"/>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
