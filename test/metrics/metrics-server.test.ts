/**
 * The resource metrics pipeline (kubelet cAdvisor -> metrics-server) against expectations
 * computed independently from its timing: cAdvisor samples each node every 10 s from a phase
 * drawn from the node's stream, metrics-server scrapes every 15 s from its own phase, and
 * PodMetrics is the rate between the last two samples it stored, stamped with the last one
 * (sigs.k8s.io/metrics-server pkg/storage/pod.go).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../engine/core/simulation.js';
import { CAdvisor, type UsageSource } from '../../engine/metrics/cadvisor.js';
import { MetricsServer } from '../../engine/metrics/metrics-server.js';
import type { PodUsage } from '../../engine/workload/pod-servers.js';

const HOUSEKEEPING = 10;
const RESOLUTION = 15;

/** One pod on node n1 started at `start`, using `rate(t)` cores (piecewise constant, integrated exactly). */
function fakePod(sim: Simulation, start: number, cpuSecondsAt: (t: number) => number): UsageSource {
  return {
    forEachRunning(fn: (u: PodUsage) => void) {
      if (sim.now < start) return;
      fn({ uid: 'u1', namespace: 'default', name: 'p', nodeName: 'n1', startTime: start, cpuSeconds: cpuSecondsAt(sim.now), requests: Math.floor(sim.now - start) * 3 });
    },
  };
}

/** The phases the pipeline draws, recomputed from the same named streams. */
function phases(seed: number): { cadvisor: number; scrape: number } {
  const sim = new Simulation(seed);
  return { cadvisor: sim.stream('cadvisor/n1').float() * HOUSEKEEPING, scrape: sim.stream('metrics-server').float() * RESOLUTION };
}

/** The last tick of a periodic timer (phase, phase + period, ...) at or before t. */
function lastTick(phase: number, period: number, t: number): number {
  return phase + period * Math.floor((t - phase) / period);
}

test('PodMetrics is the CPU rate between the two cAdvisor samples behind the last two scrapes', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const sim = new Simulation(seed);
    // 0 cores until 100 s, then 0.5 core (a step the HPA should see late, and averaged).
    const used = (t: number) => 0.5 * Math.max(0, t - 100);
    const cadvisor = new CAdvisor(sim, fakePod(sim, 0, used), ['n1'], HOUSEKEEPING);
    const server = new MetricsServer(sim, cadvisor, ['n1'], RESOLUTION);
    const p = phases(seed);
    for (const t of [61, 99, 104, 109, 117, 121, 126, 133, 140, 151, 180]) {
      sim.run({ until: t });
      const m = server.podMetrics('default', 'p')!;
      const s1 = lastTick(p.scrape, RESOLUTION, t);
      const h1 = lastTick(p.cadvisor, HOUSEKEEPING, s1);
      const h0 = lastTick(p.cadvisor, HOUSEKEEPING, s1 - RESOLUTION);
      assert.ok(Math.abs(m.timestamp - h1) < 1e-9, `seed ${seed} t ${t}: timestamp ${m.timestamp} vs ${h1}`);
      assert.ok(Math.abs(m.window - (h1 - h0)) < 1e-9, `window ${m.window} vs ${h1 - h0}`);
      // Scrapes 15 s apart read samples one or two housekeeping intervals apart.
      assert.ok(Math.abs(m.window - 10) < 1e-9 || Math.abs(m.window - 20) < 1e-9, `window ${m.window}`);
      // The sample is at most one housekeeping + one scrape period old.
      assert.ok(t - m.timestamp < HOUSEKEEPING + RESOLUTION);
      const expected = ((used(h1) - used(h0)) / (h1 - h0)) * 1e9;
      assert.ok(Math.abs(m.cpuNanocores - expected) <= 2, `seed ${seed} t ${t}: ${m.cpuNanocores} vs ${expected}`);
      assert.ok(Math.abs(m.requestsPerSecond - 3) < 0.2);
    }
  }
});

test('a fresh pod reports at the first scrape with a usable pair of samples: its start counts as a zero sample 10-15 s back', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const sim = new Simulation(seed);
    const start = 40;
    const cadvisor = new CAdvisor(sim, fakePod(sim, start, (t) => 0.3 * (t - start)), ['n1'], HOUSEKEEPING);
    const server = new MetricsServer(sim, cadvisor, ['n1'], RESOLUTION);
    const p = phases(seed);
    // Independently: the scrapes after the start, the cAdvisor sample each one reads (a
    // sample exists for the pod only once it runs), and the first scrape that can report:
    // its sample is 10-15 s after the start (the synthetic zero point at the start), or the
    // scrape before it already had a sample of the pod.
    const sampleAt = (s: number) => lastTick(p.cadvisor, HOUSEKEEPING, s);
    const hasSample = (s: number) => sampleAt(s) > start;
    const fresh = (s: number) => hasSample(s) && sampleAt(s) - start >= 10 && sampleAt(s) - start < RESOLUTION;
    let s = lastTick(p.scrape, RESOLUTION, start) + RESOLUTION;
    while (!fresh(s) && !(hasSample(s) && hasSample(s - RESOLUTION))) s += RESOLUTION;
    const window = fresh(s) ? sampleAt(s) - start : sampleAt(s) - sampleAt(s - RESOLUTION);

    sim.run({ until: s - 0.001 });
    assert.equal(server.podMetrics('default', 'p'), undefined, `seed ${seed}: nothing before ${s}`);
    sim.run({ until: s + 0.001 });
    const m = server.podMetrics('default', 'p')!;
    assert.ok(m, `seed ${seed}: PodMetrics at ${s}`);
    assert.ok(Math.abs(m.timestamp - sampleAt(s)) < 1e-9);
    assert.ok(Math.abs(m.window - window) < 1e-9, `seed ${seed}: window ${m.window} vs ${window}`);
    assert.ok(Math.abs(m.cpuNanocores - 300_000_000) <= 1, `seed ${seed}: ${m.cpuNanocores}`);
  }
});

test('a pod that is gone has no PodMetrics after the next scrape', () => {
  const sim = new Simulation(1);
  let alive = true;
  const source: UsageSource = {
    forEachRunning(fn) {
      if (alive) fn({ uid: 'u', namespace: 'default', name: 'p', nodeName: 'n1', startTime: 0, cpuSeconds: 0.1 * sim.now, requests: 0 });
    },
  };
  const server = new MetricsServer(sim, new CAdvisor(sim, source, ['n1'], HOUSEKEEPING), ['n1'], RESOLUTION);
  sim.run({ until: 60 });
  assert.equal(server.podMetrics('default', 'p')!.cpuNanocores, 100_000_000);
  alive = false;
  sim.run({ until: 60 + HOUSEKEEPING + RESOLUTION });
  assert.equal(server.podMetrics('default', 'p'), undefined);
});
