/**
 * CPU limits stretch service as CFS quota does: a pod limited to 500m serving requests that
 * each need one core's time runs them at half speed; with two in service they share the quota.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runTestScenario } from '../helpers/scenario.js';

const limit = (cpu: string) => `spec.manifests[0].spec.template.spec.containers[0].resources={requests: {cpu: 250m}, limits: {cpu: ${cpu}}}`;

test('one request at a time under a 500m limit takes twice its CPU time', () => {
  const { summary } = runTestScenario({ replicas: 1, serviceTime: '100ms', duration: '2m', loadStart: '20s' }, [
    limit('500m'),
    'spec.load[0].arrivals={type: constant, rate: 2}',
  ]);
  // 100 ms of CPU at half a core: 200 ms, plus a round trip of 0.4-0.8 ms.
  assert.ok(Math.abs(summary.get('latency_p50_ms')! - 200.6) < 2, `p50 ${summary.get('latency_p50_ms')}`);
});

test('without a limit, or with a limit above the demand, service is not stretched', () => {
  const { summary } = runTestScenario({ replicas: 1, serviceTime: '100ms', duration: '2m', loadStart: '20s' }, [
    limit('2'),
    'spec.load[0].arrivals={type: constant, rate: 2}',
  ]);
  assert.ok(Math.abs(summary.get('latency_p50_ms')! - 100.6) < 2, `p50 ${summary.get('latency_p50_ms')}`);
});

test('two requests in service under a 1-core limit each get half a core (closed loop of 2, no think time)', () => {
  const { summary } = runTestScenario({ replicas: 1, serviceTime: '100ms', duration: '2m', loadStart: '20s' }, [
    limit('1'),
    'spec.load[0].arrivals={type: closed, clients: 2, thinkTime: 0s}',
  ]);
  // Both in service all the time: each takes 200 ms; the pod serves 10 requests/s.
  assert.ok(Math.abs(summary.get('latency_p50_ms')! - 200.6) < 2, `p50 ${summary.get('latency_p50_ms')}`);
  const rate = summary.get('requests_served')! / 100;
  assert.ok(Math.abs(rate - 10) < 0.3, `throughput ${rate}`);
});
