/**
 * The benchmark runner behind `kubesim bench`: a registry of suites, each producing named
 * results, filtered by a substring of the result name (`--filter hold/engine`, `--filter 1e6`).
 * Suites report ratios measured in the same run (engine vs bare loop, kubesim vs a peer),
 * because absolute rates on shared machines are noise. Add a suite by adding a registry entry.
 */
import os from 'node:os';
import { holdRatios, runHoldBenchmarks } from './hold.js';
import { runMonteCarloBenchmark } from './montecarlo.js';
import { runScheduleBenchmark } from './schedule.js';
import { runTrafficBenchmark, TRAFFIC_RSS_GROWTH_TARGET, TRAFFIC_WALL_TARGET } from './traffic.js';

export interface BenchOptions {
  /** Progress lines as JSON (one result object per line) instead of human-readable text. */
  json?: boolean;
  /** Only results whose name contains this substring. */
  filter?: string;
  /** Shorter sampling, for smoke runs. */
  quick?: boolean;
  onProgress?: (line: string) => void;
}

export interface BenchReport {
  /** One entry per measurement, exactly `{name, <rate field>}` (e.g. eventsPerSecond). */
  results: object[];
  /** Ratios derived from the measurements of the same run, with their targets. */
  ratios: object[];
  environment: { node: string; platform: string; arch: string; cpus: number; cpuModel: string };
}

interface SuiteContext {
  filter?: string;
  quick: boolean;
  /** Where a suite puts the ratios it derives (kept apart from the measurements). */
  ratios: object[];
  /** Progress for one finished measurement: the human line and the result object. */
  progress: (line: string, result: object) => void;
}

interface Suite {
  /** Prefix of every result name of the suite. */
  name: string;
  /** Runs the measurements whose names contain `context.filter`, skipping the others before any set-up. */
  run(context: SuiteContext): Promise<object[]>;
}

const SUITES: readonly Suite[] = [
  {
    name: 'hold',
    async run({ filter, quick, progress, ratios }) {
      const measurements = await runHoldBenchmarks({ filter, quick, onCycle: progress });
      for (const r of holdRatios(measurements)) {
        const verdict = r.target === undefined ? '' : ` (target >= ${r.target}: ${r.met ? 'met' : 'MISSED'})`;
        progress(`${r.name.padEnd(26)} ${r.ratio.toFixed(2)}x${verdict}`, r);
        ratios.push(r);
      }
      return measurements.map((m) => ({ name: m.name, eventsPerSecond: m.eventsPerSecond }));
    },
  },
  {
    name: 'montecarlo',
    async run({ filter, quick, progress }) {
      if (filter && !'montecarlo/8runs'.includes(filter)) return [];
      const r = await runMonteCarloBenchmark(quick);
      progress(
        `${r.name.padEnd(26)} ${r.speedup2Workers.toFixed(2)}x with 2 workers (target >= ${r.target}: ${r.met ? 'met' : 'MISSED'}; ` +
          `two cores allow ${r.cpuBound.toFixed(2)}x for that CPU; two separate processes reach ${r.processesSpeedup.toFixed(2)}x)`,
        r,
      );
      return [{ name: r.name, speedup2Workers: r.speedup2Workers, cpuBound: r.cpuBound, processesSpeedup: r.processesSpeedup }];
    },
  },
  {
    name: 'schedule',
    async run({ filter, quick, progress }) {
      if (filter && !'schedule/5000nodes'.includes(filter)) return [];
      const r = runScheduleBenchmark({ quick });
      progress(`${r.name.padEnd(26)} ${r.podsPerSecond} pods/s (${r.scheduled}/${r.pods} pods on ${r.nodes} nodes; target >= 10000)`, { name: r.name, podsPerSecond: r.podsPerSecond });
      return [{ name: r.name, podsPerSecond: r.podsPerSecond }];
    },
  },
  {
    name: 'traffic',
    async run({ filter, quick, progress, ratios }) {
      if (filter && !'traffic/1h-1000rps'.includes(filter)) return [];
      const r = runTrafficBenchmark(quick);
      const result = { name: r.name, wallSeconds: r.wallSeconds, peakRssMB: r.peakRssMB };
      progress(
        `${r.name.padEnd(26)} ${r.wallSeconds} s wall, ${r.peakRssMB} MB peak RSS (${r.requests} requests; target <= ${TRAFFIC_WALL_TARGET} s: ${r.wallSeconds <= TRAFFIC_WALL_TARGET ? 'met' : 'MISSED'})`,
        result,
      );
      const growth = { name: 'traffic/rss-2h-over-1h', ratio: r.rssGrowth, peakRssMB2h: r.peakRssMB2h, target: TRAFFIC_RSS_GROWTH_TARGET, met: r.rssGrowth <= TRAFFIC_RSS_GROWTH_TARGET };
      progress(`${growth.name.padEnd(26)} ${r.rssGrowth.toFixed(2)}x (${r.peakRssMB2h} MB for 2 h; target <= ${TRAFFIC_RSS_GROWTH_TARGET}: ${growth.met ? 'met' : 'MISSED'})`, growth);
      ratios.push(growth);
      return [result];
    },
  },
];

export async function runBenchmarks(options: BenchOptions = {}): Promise<BenchReport> {
  const results: object[] = [];
  const ratios: object[] = [];
  for (const suite of SUITES) {
    const progress = (line: string, result: object): void => {
      options.onProgress?.(options.json ? JSON.stringify(result) : line);
    };
    results.push(...(await suite.run({ filter: options.filter, quick: options.quick ?? false, progress, ratios })));
  }
  const cpus = os.cpus();
  return {
    results,
    ratios,
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
    },
  };
}
