/** The short table `kubesim run` prints: the figures a user checks first. */
import type { RunResult } from '../engine/run.js';
import { formatDuration } from '../engine/core/duration.js';
import { FAILURE_REASONS } from '../engine/metrics/traffic-stats.js';

export function formatSummary(name: string, result: RunResult, wallSeconds: number): string {
  const s = result.summary;
  const get = (k: string) => s.get(k) ?? NaN;
  const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)}` : '-');
  const requests = get('requests');
  const pct = (v: number) => (requests > 0 ? ` (${((100 * v) / requests).toFixed(2)}%)` : '');
  const causes = FAILURE_REASONS.map((r) => [r, get(`requests_failed_${r}`)] as const)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${int(n)}`)
    .join(', ');
  const rows: [string, string][] = [
    ['requests', int(requests)],
    ['served', `${int(get('requests_served'))}${pct(get('requests_served'))}`],
    ['failed', `${int(get('requests_failed'))}${pct(get('requests_failed'))}${causes ? `: ${causes}` : ''}`],
    ['latency p50 / p95 / p99', `${ms(get('latency_p50_ms'))} / ${ms(get('latency_p95_ms'))} / ${ms(get('latency_p99_ms'))} ms`],
    ['pods created', int(get('pods_created'))],
    ['pods pending at end', int(get('pods_pending_at_end'))],
    ['events (warnings)', `${int(get('events'))} (${int(get('warnings'))})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const head = `kubesim run ${name}: seed ${result.seed}, ${formatDuration(result.simulatedSeconds)} simulated in ${wallSeconds.toFixed(2)} s (${int(result.events)} events)\n`;
  return head + rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}\n`).join('');
}
