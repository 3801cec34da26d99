/**
 * Closed-loop clients: throughput follows Little's law, X = N / (Z + R), N clients, think
 * time Z, response time R. With many workers per pod there is no queueing, so R is the
 * service time plus the network round trip, known in advance.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runTestScenario } from '../helpers/scenario.js';

test("closed-loop throughput is N / (think + response time) (Little's law)", () => {
  const n = 20;
  const think = 0.1;
  const { summary } = runTestScenario({ duration: '3m', loadStart: '20s', podWorkers: 64, serviceTime: '{ dist: exponential, mean: 40ms }' }, [
    `spec.load[0].arrivals={type: closed, clients: ${n}, thinkTime: 100ms}`,
  ]);
  const served = summary.get('requests_served')!;
  assert.equal(summary.get('requests_failed'), 0);
  const r = summary.get('latency_mean_ms')! / 1000;
  // Measured R against the model's: 40 ms service + 0.4 ms hops + up to 0.4 ms more for a pod on another node.
  assert.ok(r > 0.038 && r < 0.043, `mean response ${r}`);
  // 160 s of load; clients start one think time in, so the expected count is N (160 - Z) / (Z + R).
  const expected = (n * (160 - think)) / (think + r);
  assert.ok(Math.abs(served - expected) / expected < 0.02, `served ${served}, Little's law ${expected.toFixed(0)}`);
});

test('a closed loop with no endpoints does not spin: each failure is learnt after one round trip', () => {
  const { summary } = runTestScenario({ duration: '30s', replicas: 0, loadStart: '10s' }, ['spec.load[0].arrivals={type: closed, clients: 2, thinkTime: 0s}']);
  // 20 s at one failure per client per 0.4 ms round trip.
  const expected = (2 * 20) / 0.0004;
  assert.ok(Math.abs(summary.get('requests_failed_no_endpoints')! - expected) / expected < 0.01, `${summary.get('requests_failed_no_endpoints')}`);
});
