/**
 * Endpoint changes reach each node's kube-proxy only when its rule sync finishes: until then
 * the node still sends new connections to pods that are gone (stale_endpoint). A slow sync
 * widens that window; the failures stop once every node has synced.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runTestScenario } from '../helpers/scenario.js';

function staleByInterval(syncBase: string): { time: number; value: number }[] {
  const { obs } = runTestScenario(
    { replicas: 3, rate: 100, duration: '90s', loadStart: '20s', timeline: [{ at: '40s', run: 'kubectl scale deployment web --replicas=1' }] },
    [`spec.kubeProxy={mode: iptables, costs: {syncBase: ${syncBase}}}`],
  );
  return obs.series('Service', 'web', 'requests_failed_stale_endpoint');
}

test('a 3 s rule sync leaves nodes routing to deleted pods for ~3 s; the failures stop after it', () => {
  const slow = staleByInterval('3s');
  const total = slow.reduce((a, s) => a + s.value, 0);
  // 100 req/s, 2 of 3 endpoints gone, for ~3 s: ~200 failures (the pods stop listening a few ms after the delete).
  assert.ok(total > 120 && total < 260, `stale failures ${total}`);
  for (const s of slow) if (s.time <= 40 || s.time > 50) assert.equal(s.value, 0, `at ${s.time}s`);
});

test('a 2 ms sync (the default) leaves almost no window', () => {
  const fast = staleByInterval('2ms');
  const total = fast.reduce((a, s) => a + s.value, 0);
  assert.ok(total < 10, `stale failures ${total}`);
});
