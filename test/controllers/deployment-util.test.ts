/**
 * Rollout arithmetic, with cases transcribed from upstream
 * pkg/controller/deployment/util/deployment_util_test.go (TestResolveFenceposts,
 * TestNewRSNewReplicas, TestMaxUnavailable, TestDeploymentComplete, TestEqualIgnoreHash) and
 * kubectl/pkg/polymorphichelpers/rollout_status_test.go (TestDeploymentStatusViewerStatus);
 * the ReplicaSet creation order (controller_utils.go ReplicaSetsByCreationTimestamp), hand-computed.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../../engine/api/types.js';
import {
  byCreation,
  deploymentComplete,
  equalIgnoreHash,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  rolloutStatus,
  scaledValue,
} from '../../engine/controllers/deployment-util.js';

function deployment(o: {
  replicas?: number;
  type?: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  status?: Deployment['status'];
  generation?: number;
}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'foo', generation: o.generation ?? 1 },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { app: 'foo' } },
      template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      strategy: { type: o.type ?? 'RollingUpdate', rollingUpdate: o.type === 'Recreate' ? undefined : { maxSurge: o.maxSurge, maxUnavailable: o.maxUnavailable } },
    },
    status: o.status,
  };
}

function rs(replicas: number): ReplicaSet {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `rs-${replicas}` }, spec: { replicas, selector: {}, template: { spec: { containers: [] } } } };
}

test('intstr.GetScaledValueFromIntOrPercent: ints as they are, percentages rounded up or down', () => {
  assert.equal(scaledValue(123, 0, false), 123);
  assert.equal(scaledValue('90%', 100, true), 90);
  assert.equal(scaledValue('90%', 95, true), 86);
  assert.equal(scaledValue('90%', 95, false), 85);
  assert.throws(() => scaledValue('oops', 10, true), /invalid value "oops"/);
});

test('TestResolveFenceposts', () => {
  const cases: [string | undefined, string | undefined, number, number, number][] = [
    ['0%', '0%', 0, 0, 1],
    ['39%', '39%', 10, 4, 3],
    // Upstream passes nil pointers here; our API defaulting fills 25% for a missing field, so
    // the nil cases are checked through explicit zeros instead.
    ['0%', '39%', 10, 0, 3],
    ['39%', '0%', 10, 4, 0],
    ['0%', '0%', 10, 0, 1],
  ];
  for (const [maxSurge, maxUnav, desired, surge, unavailable] of cases) {
    assert.deepEqual(resolveFenceposts(deployment({ replicas: desired, maxSurge, maxUnavailable: maxUnav })), { maxSurge: surge, maxUnavailable: unavailable }, `${maxSurge}/${maxUnav}/${desired}`);
  }
  assert.throws(() => resolveFenceposts(deployment({ replicas: 10, maxSurge: 'oops', maxUnavailable: '39%' })));
  // apps/v1 defaults: 25% surge (rounded up) and 25% unavailable (rounded down).
  assert.deepEqual(resolveFenceposts(deployment({ replicas: 10 })), { maxSurge: 3, maxUnavailable: 2 });
});

test('TestNewRSNewReplicas: the new ReplicaSet never takes the total beyond replicas + maxSurge', () => {
  // allRSs = [the new one, an old one with 5 replicas]; maxUnavailable 1.
  const run = (type: 'RollingUpdate' | 'Recreate', depReplicas: number, newRSReplicas: number, maxSurge: number) =>
    newRSNewReplicas(deployment({ type, replicas: depReplicas, maxSurge, maxUnavailable: 1 }), [rs(newRSReplicas), rs(5)], newRSReplicas);
  assert.equal(run('RollingUpdate', 1, 5, 1), 5, 'can not scale up - to newRSReplicas');
  assert.equal(run('RollingUpdate', 6, 2, 10), 6, 'scale up - to depReplicas');
  assert.equal(run('Recreate', 3, 1, 1), 3, 'recreate - to depReplicas');
});

test('TestMaxUnavailable', () => {
  assert.equal(maxUnavailable(deployment({ replicas: 10, maxSurge: 1, maxUnavailable: 5 })), 5);
  assert.equal(maxUnavailable(deployment({ replicas: 10, maxSurge: 1, maxUnavailable: 10 })), 10);
  assert.equal(maxUnavailable(deployment({ replicas: 5, maxSurge: 1, maxUnavailable: 10 })), 5);
  assert.equal(maxUnavailable(deployment({ replicas: 0, maxSurge: 1, maxUnavailable: 10 })), 0);
  assert.equal(maxUnavailable(deployment({ replicas: 10, type: 'Recreate' })), 0);
  assert.equal(maxUnavailable(deployment({ replicas: 10, maxSurge: 1, maxUnavailable: '50%' })), 5);
});

test('TestDeploymentComplete', () => {
  const d = (desired: number, current: number, updated: number, available: number) =>
    deployment({ replicas: desired, status: { replicas: current, updatedReplicas: updated, availableReplicas: available, observedGeneration: 1 } });
  assert.equal(deploymentComplete(d(5, 5, 5, 4)), false, 'min but not all pods become available');
  assert.equal(deploymentComplete(d(5, 5, 5, 3)), false, 'min availability is not honored');
  assert.equal(deploymentComplete(d(5, 5, 5, 5)), true, 'complete');
  assert.equal(deploymentComplete(d(5, 5, 4, 5)), false, 'all pods are available but not updated');
  assert.equal(deploymentComplete(d(1, 2, 1, 1)), false, 'still running old pods');
  assert.equal(deploymentComplete(d(1, 1, 1, 0)), false, 'one replica deployment never comes up');
});

test('TestEqualIgnoreHash: templates equal but for the pod-template-hash label', () => {
  const t = (labels: Record<string, string>, nodeName = 'foo-node'): PodTemplateSpec => ({ metadata: { labels }, spec: { containers: [], nodeName } });
  assert.equal(equalIgnoreHash(t({ 'pod-template-hash': 'value-1', something: 'else' }), t({ 'pod-template-hash': 'value-2', something: 'else' })), true);
  assert.equal(equalIgnoreHash(t({ something: 'else' }), t({ 'pod-template-hash': 'value-2', something: 'else' })), true);
  assert.equal(equalIgnoreHash(t({ something: 'else' }), t({ 'pod-template-hash': 'value-2' })), false);
  assert.equal(equalIgnoreHash(t({ 'pod-template-hash': 'value-1' }), t({ 'pod-template-hash': 'value-1', something: 'else' })), false);
  assert.equal(equalIgnoreHash(t({ something: 'else' }, 'foo-node-1'), t({ something: 'else' }, 'foo-node-2')), false);
});

// kubectl rollout_status_test.go TestDeploymentStatusViewerStatus, the messages case by case.
test('kubectl rollout status messages', () => {
  const d = (generation: number, observed: number, replicas: number, current: number, updated: number, available: number) =>
    deployment({ replicas, generation, status: { observedGeneration: observed, replicas: current, updatedReplicas: updated, availableReplicas: available } });
  assert.deepEqual(rolloutStatus(d(0, 1, 1, 1, 0, 1)), { done: false, message: 'Waiting for deployment "foo" rollout to finish: 0 out of 1 new replicas have been updated...' });
  assert.deepEqual(rolloutStatus(d(1, 1, 1, 2, 1, 2)), { done: false, message: 'Waiting for deployment "foo" rollout to finish: 1 old replicas are pending termination...' });
  assert.deepEqual(rolloutStatus(d(1, 1, 2, 2, 2, 1)), { done: false, message: 'Waiting for deployment "foo" rollout to finish: 1 of 2 updated replicas are available...' });
  assert.deepEqual(rolloutStatus(d(1, 1, 2, 2, 2, 2)), { done: true, message: 'deployment "foo" successfully rolled out' });
  assert.deepEqual(rolloutStatus(d(2, 1, 2, 2, 2, 2)), { done: false, message: 'Waiting for deployment spec update to be observed...' });
});

function rsCreated(name: string, creationTimestamp: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', creationTimestamp },
    spec: { replicas: 1, selector: { matchLabels: { app: 'foo' } }, template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  } as ReplicaSet;
}

test('ReplicaSetsByCreationTimestamp: creation times in whole seconds (metav1.Time), equal seconds by name', () => {
  // 'b' at 10.2 s is 200 ms older than 'a' at 10.4 s, but both read back as 10 s: name decides.
  assert.deepEqual([rsCreated('b', 10.2), rsCreated('a', 10.4)].sort(byCreation).map((r) => r.metadata.name), ['a', 'b']);
  // A whole second apart: the older first, whatever the names.
  assert.deepEqual([rsCreated('a', 11.0), rsCreated('b', 10.9)].sort(byCreation).map((r) => r.metadata.name), ['b', 'a']);
});
