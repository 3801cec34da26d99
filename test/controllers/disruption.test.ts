/**
 * The disruption controller's arithmetic, transcribed from upstream's
 * pkg/controller/disruption/disruption_test.go cases (named below), on the pure functions of
 * engine/controllers/disruption.ts; then the controller itself in a run.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  buildDisruptedPodMap,
  countHealthyPods,
  DELETION_TIMEOUT,
  disruptionsAllowed,
  expectedPodCount,
  podsForPdb,
  type ScaleFinder,
} from '../../engine/controllers/disruption.js';
import type { OwnerReference, Pod, PodDisruptionBudget } from '../../engine/api/types.js';
import { runTestScenario } from '../helpers/scenario.js';

function pod(name: string, o: { ready?: boolean; owner?: OwnerReference; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { foo: 'bar' }, ...(o.owner && { ownerReferences: [o.owner] }), ...(o.deleting && { deletionTimestamp: 1 }) },
    spec: { containers: [{ name: 'c', image: 'i' }], nodeName: 'n1' },
    status: { phase: 'Running', conditions: o.ready === false ? [] : [{ type: 'Ready', status: 'True' }] },
  };
}

const rsRef: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true };
const scale = (n: number): ScaleFinder => (ref) => (ref.uid === 'rs-uid' ? { uid: 'rs-uid', scale: n } : undefined);

/** VerifyPdbStatus(disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods) over pods with no disruptions. */
function status(spec: PodDisruptionBudget['spec'], pods: Pod[], finder: ScaleFinder = scale(0)): [number, number, number, number] {
  const e = expectedPodCount(spec, pods, finder);
  const healthy = countHealthyPods(pods, {}, 0);
  return [disruptionsAllowed(healthy, e.desiredHealthy, e.expectedCount), healthy, e.desiredHealthy, e.expectedCount];
}

test('TestUnavailable: minAvailable 3 counts pods one by one; one unready pod takes the single disruption away', () => {
  const pods: Pod[] = [];
  for (let i = 0; i < 4; i++) {
    assert.deepEqual(status({ minAvailable: 3 }, pods), [0, i, 3, i]);
    pods.push(pod(`yo-yo-yo ${i}`));
  }
  assert.deepEqual(status({ minAvailable: 3 }, pods), [1, 4, 3, 4]);
  pods[0] = pod('yo-yo-yo 0', { ready: false });
  assert.deepEqual(status({ minAvailable: 3 }, pods), [0, 3, 3, 4]);
});

test('TestNoSelector: a budget without a selector selects no pod (policy/v1), so allows nothing', () => {
  const pdb = { spec: { minAvailable: 3 } } as PodDisruptionBudget;
  const selected = podsForPdb(pdb, [pod('yo-yo-yo')]);
  assert.deepEqual(status(pdb.spec, selected), [0, 0, 3, 0]);
});

test('TestIntegerMaxUnavailable: maxUnavailable needs the controller scale; a naked pod allows nothing', () => {
  const e = expectedPodCount({ maxUnavailable: 1 }, [pod('naked')], scale(1));
  assert.deepEqual(e, { expectedCount: 0, desiredHealthy: 0, unmanagedPods: ['naked'] });
  assert.equal(disruptionsAllowed(1, e.desiredHealthy, e.expectedCount), 0);
});

test('TestIntegerMaxUnavailableWithScaling: maxUnavailable 2 of a ReplicaSet scaled 7 then 5', () => {
  const pods = [pod('pod', { owner: rsRef })];
  assert.deepEqual(status({ maxUnavailable: 2 }, pods, scale(7)), [0, 1, 5, 7]);
  assert.deepEqual(status({ maxUnavailable: 2 }, pods, scale(5)), [0, 1, 3, 5]);
});

test('TestPercentageMaxUnavailableWithScaling: maxUnavailable 30% rounds up (7 -> 3 unavailable, 3 -> 1)', () => {
  const pods = [pod('pod', { owner: rsRef })];
  assert.deepEqual(status({ maxUnavailable: '30%' }, pods, scale(7)), [0, 1, 4, 7]);
  assert.deepEqual(status({ maxUnavailable: '30%' }, pods, scale(3)), [0, 1, 2, 3]);
});

test('TestReplicationController: minAvailable 34% of 3 replicas needs 2, so the third pod brings the first disruption', () => {
  const pods: Pod[] = [];
  const expected: [number, number, number, number][] = [
    [0, 1, 2, 3],
    [0, 2, 2, 3],
    [1, 3, 2, 3],
  ];
  for (let i = 0; i < 3; i++) {
    pods.push(pod(`foobar ${i}`, { owner: rsRef }));
    assert.deepEqual(status({ minAvailable: '34%' }, pods, scale(3)), expected[i]);
  }
});

test('TestStatefulSetController: minAvailable 67% of 3 needs all 3', () => {
  const pods = [0, 1, 2].map((i) => pod(`foobar ${i}`, { owner: rsRef }));
  assert.deepEqual(status({ minAvailable: '67%' }, pods, scale(3)), [0, 3, 3, 3]);
});

test('a controller of unknown scale is an error (getExpectedScale: found no controllers for pod)', () => {
  const dsRef: OwnerReference = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds-uid', controller: true };
  assert.throws(() => expectedPodCount({ minAvailable: '50%' }, [pod('agent', { owner: dsRef })], scale(3)), /found no controllers for pod "agent"/);
  // An integer minAvailable needs no scale at all.
  assert.deepEqual(expectedPodCount({ minAvailable: 1 }, [pod('agent', { owner: dsRef })], scale(3)).expectedCount, 1);
});

test('TestUpdateDisruptedPods: deleted, expired and vanished entries leave disruptedPods; the pending one stays and is not healthy', () => {
  const now = 1000;
  const deleting = pod('p1', { deleting: true });
  const pods = [deleting, pod('p2'), pod('p3')];
  const { disruptedPods, recheckTime } = buildDisruptedPodMap(pods, { p1: now, p2: now - 180, p3: now - 60, notthere: now }, now);
  assert.deepEqual(disruptedPods, { p3: now - 60 });
  assert.equal(recheckTime, now - 60 + DELETION_TIMEOUT);
  const healthy = countHealthyPods(pods, disruptedPods, now);
  const e = expectedPodCount({ minAvailable: 1 }, pods, scale(0));
  assert.deepEqual([disruptionsAllowed(healthy, e.desiredHealthy, e.expectedCount), healthy, e.desiredHealthy, e.expectedCount], [0, 1, 1, 3]);
});

const PDB = (spec: string) => `    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: web }
      spec: ${spec}
`;

test('in a run the controller writes the status of a Deployment budget, with the DisruptionAllowed condition, and follows a scale-down', () => {
  const { run } = runTestScenario({
    duration: '90s',
    replicas: 4,
    rate: 5,
    extraManifests: PDB('{ maxUnavailable: "25%", selector: { matchLabels: { app: web } } }'),
    timeline: [{ at: '60s', run: 'kubectl scale deployment web --replicas=2' }],
  });
  const pdb = run.apiServer.get('PodDisruptionBudget', 'default', 'web')!;
  // 2 replicas, 25% rounded up = 1 unavailable: desired 1, both healthy, one disruption.
  assert.deepEqual(
    { ...pdb.status!, conditions: undefined },
    { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1, disruptedPods: {}, observedGeneration: 1, conditions: undefined },
  );
  assert.equal(pdb.status!.conditions.length, 1);
  assert.deepEqual({ ...pdb.status!.conditions[0]!, lastTransitionTime: 0 }, {
    type: 'DisruptionAllowed',
    status: 'True',
    reason: 'SufficientPods',
    message: '',
    observedGeneration: 1,
    lastTransitionTime: 0,
  });
});
