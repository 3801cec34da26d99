import test from 'node:test';
import assert from 'node:assert/strict';
import { rankForDeletion } from '../../engine/controllers/replicaset.js';
import type { Pod, PodPhase } from '../../engine/api/types.js';

function pod(name: string, o: { node?: string; phase?: PodPhase; readySince?: number; created?: number }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: o.created ?? 0 },
    spec: { containers: [{ name: 'c', image: 'i' }], nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.readySince !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.readySince }] : [],
    },
  };
}

// The order of pkg/controller/controller_utils.go ActivePodsWithRanks.Less, case by case.
test('scale-down victims: unassigned, then pending, then not ready, then crowded nodes, then newest', () => {
  const ranked = rankForDeletion([
    pod('ready-old', { node: 'n1', readySince: 10, created: 1 }),
    pod('unassigned', { phase: 'Pending' }),
    pod('pending', { node: 'n1', phase: 'Pending' }),
    pod('not-ready', { node: 'n2', created: 5 }),
    pod('ready-new', { node: 'n2', readySince: 50, created: 40 }),
    pod('crowded', { node: 'n3', readySince: 10, created: 1 }),
    pod('crowded-2', { node: 'n3', readySince: 10, created: 2 }),
    pod('crowded-3', { node: 'n3', readySince: 10, created: 3 }),
  ]).map((p) => p.metadata.name);
  assert.deepEqual(ranked.slice(0, 3), ['unassigned', 'pending', 'not-ready']);
  // Ready pods: the three on n3 share a node with two siblings each, so go first (newest first).
  assert.deepEqual(ranked.slice(3, 6), ['crowded-3', 'crowded-2', 'crowded']);
  // n1 and n2 now tie on co-location (2 pods each); ready for less time goes first.
  assert.deepEqual(ranked.slice(6), ['ready-new', 'ready-old']);
});
