/** The comparison table of report.html: every run-wide metric, per variant, as in compare.csv. */
import type { ComparisonRow } from '../compare-csv.js';
import { formatPValue } from '../compare-csv.js';
import { escapeHtml } from './escape.js';

function num(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 1 || a === 0) return v.toFixed(2);
  return v.toPrecision(3);
}

function ci(low: number, high: number): string {
  return Number.isFinite(low) ? `[${num(low)}, ${num(high)}]` : '–';
}

export function comparisonTableHtml(rows: readonly ComparisonRow[]): string {
  if (rows.length === 0) return '<p>No summary.csv in this folder.</p>';
  const withDiff = rows.some((r) => r.diff);
  const head = ['metric', 'variant', 'n', 'mean', 'sd', '95% CI', ...(withDiff ? ['diff vs first', '95% CI of diff', 'p'] : [])];
  const body = rows.map((r) => {
    const cells = [
      `<td>${escapeHtml(r.metric)}</td>`,
      `<td>${escapeHtml(r.variant)}</td>`,
      `<td class="num">${r.alone.n}</td>`,
      `<td class="num">${num(r.alone.mean)}</td>`,
      `<td class="num">${num(r.alone.sd)}</td>`,
      `<td class="num">${ci(r.alone.ciLow, r.alone.ciHigh)}</td>`,
    ];
    if (withDiff) {
      const d = r.diff;
      cells.push(
        `<td class="num diff">${d ? `${num(d.meanDiff)}${r.significant ? ' *' : ''}` : ''}</td>`,
        `<td class="num">${d ? ci(d.ciLow, d.ciHigh) : ''}</td>`,
        `<td class="num">${d ? formatPValue(d.p) || '–' : ''}</td>`,
      );
    }
    return `<tr${r.significant ? ' class="significant"' : ''}>${cells.join('')}</tr>`;
  });
  const note = withDiff ? '<p>* the 95% interval of the paired difference (same seeds) excludes 0.</p>' : '';
  return `${note}<table class="comparison"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}
