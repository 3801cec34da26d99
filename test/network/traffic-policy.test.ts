/**
 * externalTrafficPolicy end to end: Local keeps NodePort traffic on the entry node (never an
 * extra hop) and drops it on nodes without a ready endpoint; Cluster serves it from any node,
 * crossing to another node when the pod is elsewhere.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runTestScenario } from '../helpers/scenario.js';
import type { MemoryObserver } from '../helpers/memory-observer.js';

function nodeTotals(obs: MemoryObserver, metric: string): Map<string, number> {
  return new Map(obs.totals.filter((t) => t.kind === 'Node' && t.metric === metric).map((t) => [t.name, t.value]));
}

const options = { replicas: 1, workers: 3, rate: 60, duration: '1m', loadStart: '20s' };

test('externalTrafficPolicy Local: no extra hop, and requests entering nodes without the pod are dropped', () => {
  const { obs, summary } = runTestScenario(options, ['spec.manifests[1].spec.externalTrafficPolicy=Local']);
  const entered = nodeTotals(obs, 'requests_entered');
  const hops = nodeTotals(obs, 'extra_hops');
  for (const [node, n] of hops) assert.equal(n, 0, `extra hops on ${node}`);
  const podNode = obs.events.find((e) => e.reason === 'Scheduled')!.message.split(' to ').pop()!;
  // Round robin over cp, w1, w2, w3: everything entering elsewhere than the pod's node is dropped.
  const elsewhere = [...entered].filter(([node]) => node !== podNode).reduce((a, [, n]) => a + n, 0);
  assert.equal(summary.get('requests_failed_dropped_local'), elsewhere);
  assert.equal(summary.get('requests_served'), entered.get(podNode));
});

test('externalTrafficPolicy Cluster: every node serves, through one more hop when the pod is elsewhere', () => {
  const { obs, summary } = runTestScenario(options);
  const entered = nodeTotals(obs, 'requests_entered');
  const hops = nodeTotals(obs, 'extra_hops');
  const podNode = obs.events.find((e) => e.reason === 'Scheduled')!.message.split(' to ').pop()!;
  assert.equal(summary.get('requests_failed'), 0);
  for (const [node, n] of entered) assert.equal(hops.get(node), node === podNode ? 0 : n, node);
});

test('internalTrafficPolicy Local: ClusterIP clients on nodes without the pod are dropped, never hop', () => {
  const { obs, summary } = runTestScenario(options, ['spec.manifests[1].spec.internalTrafficPolicy=Local', 'spec.load[0].target.via=ClusterIP']);
  for (const [node, n] of nodeTotals(obs, 'extra_hops')) assert.equal(n, 0, node);
  assert.ok(summary.get('requests_failed_dropped_local')! > 0);
  assert.ok(summary.get('requests_served')! > 0);
});
