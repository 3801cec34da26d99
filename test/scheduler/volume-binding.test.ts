/**
 * VolumeBinding's PreFilter and Filter statuses, transcribed from
 * pkg/scheduler/framework/plugins/volumebinding/volume_binding_test.go TestVolumeBinding (the
 * cases about statuses; scores and the state's internals are not modelled), with the builders of
 * test_utils.go: makePVC(name, class) in namespace default, withBoundPV (volumeName and the
 * pv.kubernetes.io/bind-completed annotation), makePV(name, class), withNodeAffinity(hostname).
 * kubesim's claims and volumes need a size and access modes where upstream's builders leave them
 * out: 1Gi requests, 10Gi volumes, ReadWriteOnce, none of which changes a case's outcome.
 * Then, hand-computed: a claim bound to a local volume confines its pod to the volume's node;
 * two WaitForFirstConsumer claims need two free volumes on the node; a node VolumeBinding
 * rejects is no preemption candidate, one NodeResourcesFit rejects is.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { ApiServer } from '../../engine/api/store.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../engine/api/types.js';
import { createStream } from '../../engine/core/rng.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG } from '../../engine/scheduler/config.js';
import { Framework } from '../../engine/scheduler/framework.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { volumeBinding } from '../../engine/scheduler/plugins/volume-binding.js';
import { CycleState } from '../../engine/scheduler/types.js';
import { makeNode, makePod, snapshotOf } from './helpers.js';

type StorageObject = PersistentVolume | PersistentVolumeClaim | StorageClass;

const sc = (name: string, mode: 'Immediate' | 'WaitForFirstConsumer'): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner: 'kubernetes.io/no-provisioner',
  volumeBindingMode: mode,
});
const CLASSES = [sc('immediate-sc', 'Immediate'), sc('wait-sc', 'WaitForFirstConsumer'), sc('wait-hdd-sc', 'WaitForFirstConsumer')];

function makePVC(name: string, className: string, o: { boundPV?: string; phase?: 'Lost'; request?: string } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', ...(o.boundPV ? { annotations: { 'pv.kubernetes.io/bind-completed': 'true' } } : {}) },
    spec: { storageClassName: className, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: o.request ?? '1Gi' } }, ...(o.boundPV ? { volumeName: o.boundPV } : {}) },
    ...(o.phase ? { status: { phase: o.phase } } : {}),
  } as PersistentVolumeClaim;
}

function makePV(name: string, className: string, o: { affinity?: Record<string, string[]>; capacity?: string } = {}): PersistentVolume {
  const matchExpressions = Object.entries(o.affinity ?? {}).map(([key, values]) => ({ key, operator: 'In' as const, values }));
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      storageClassName: className,
      capacity: { storage: o.capacity ?? '10Gi' },
      accessModes: ['ReadWriteOnce'],
      ...(o.affinity ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions }] } } } : {}),
    },
    status: { phase: 'Available' },
  } as PersistentVolume;
}

function lister(objects: StorageObject[]): Pick<ApiServer, 'get' | 'list'> {
  const get = (kind: string, namespace: string | undefined, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && (kind !== 'PersistentVolumeClaim' || (o.metadata.namespace ?? 'default') === (namespace ?? 'default')));
  const list = (kind: string) => objects.filter((o) => o.kind === kind);
  return { get, list } as unknown as Pick<ApiServer, 'get' | 'list'>;
}

const podWith = (...claims: string[]) =>
  makePod([], { name: 'pod-a', volumes: claims.map((c, i) => ({ name: `vol${i}`, persistentVolumeClaim: { claimName: c } })) } as never);

/** PreFilter then Filter on each node: the PreFilter status, or each node's Filter status. */
function run(pod: ReturnType<typeof makePod>, nodes: ReturnType<typeof makeNode>[], objects: StorageObject[]) {
  const snap = snapshotOf(nodes);
  snap.volumes = lister([...CLASSES, ...objects]);
  const state = new CycleState(snap);
  const info = new PodInfo(pod);
  const plugin = volumeBinding();
  const pre = plugin.preFilter!(state, info);
  const filter = pre === null ? snap.nodes.map((n) => plugin.filter!(state, info, n)).map((s) => (s ? `${s.code}: ${s.message}` : null)) : undefined;
  return { preFilter: pre ? `${pre.code}${pre.message ? `: ${pre.message}` : ''}` : null, filter };
}

const nodeA = () => makeNode('node-a');

test('volume_binding_test.go TestVolumeBinding: PreFilter statuses', () => {
  assert.equal(run(podWith(), [nodeA()], []).preFilter, 'Skip', 'pod has not pvcs');
  assert.equal(run(podWith('pvc-a'), [nodeA()], []).preFilter, 'UnschedulableAndUnresolvable: persistentvolumeclaim "pvc-a" not found', 'PVC does not exist');
  assert.equal(
    run(podWith('pvc-a', 'pvc-b'), [nodeA()], [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' })]).preFilter,
    'UnschedulableAndUnresolvable: persistentvolumeclaim "pvc-b" not found',
    'Part of PVCs do not exist (every claim is looked up before pvc-a\'s missing volume matters)',
  );
  assert.equal(run(podWith('pvc-a'), [nodeA()], [makePVC('pvc-a', 'immediate-sc')]).preFilter, 'UnschedulableAndUnresolvable: pod has unbound immediate PersistentVolumeClaims', 'immediate claims not bound');
  assert.equal(
    run(podWith('pvc-a'), [nodeA()], [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a', phase: 'Lost' })]).preFilter,
    'UnschedulableAndUnresolvable: persistentvolumeclaim "pvc-a" bound to non-existent persistentvolume "pv-a"',
    'pv not found claim lost',
  );
});

test('volume_binding_test.go TestVolumeBinding: Filter statuses, all UnschedulableAndUnresolvable', () => {
  assert.deepEqual(run(podWith('pvc-a'), [nodeA()], [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' }), makePV('pv-a', 'wait-sc')]).filter, [null], 'all bound');
  assert.deepEqual(
    run(podWith('pvc-a'), [nodeA()], [makePVC('pvc-a', 'wait-sc')]).filter,
    ["UnschedulableAndUnresolvable: node(s) didn't find available persistent volumes to bind"],
    'unbound claims no matches',
  );
  assert.deepEqual(
    run(podWith('pvc-a', 'pvc-b'), [makeNode('node-a', {}, { labels: { foo: 'barbar' } })], [
      makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' }),
      makePVC('pvc-b', 'wait-sc'),
      makePV('pv-a', 'wait-sc', { affinity: { foo: ['bar'] } }),
    ]).filter,
    ["UnschedulableAndUnresolvable: node(s) had volume node affinity conflict, node(s) didn't find available persistent volumes to bind"],
    'bound and unbound unsatisfied',
  );
  assert.deepEqual(
    run(podWith('pvc-a'), [nodeA()], [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' })]).filter,
    ['UnschedulableAndUnresolvable: node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)'],
    'pv not found',
  );
  const hostname = (n: string) => ({ 'kubernetes.io/hostname': [n] });
  assert.deepEqual(
    run(podWith('pvc-a'), [nodeA(), makeNode('node-b'), makeNode('node-c')], [
      makePVC('pvc-a', 'wait-sc', { request: '50Gi' }),
      makePV('pv-a-0', 'wait-sc', { capacity: '200Gi', affinity: hostname('node-a') }),
      makePV('pv-a-1', 'wait-sc', { capacity: '200Gi', affinity: hostname('node-a') }),
      makePV('pv-b-0', 'wait-sc', { capacity: '100Gi', affinity: hostname('node-b') }),
      makePV('pv-b-1', 'wait-sc', { capacity: '100Gi', affinity: hostname('node-b') }),
    ]).filter,
    [null, null, "UnschedulableAndUnresolvable: node(s) didn't find available persistent volumes to bind"],
    'local volumes with close capacity are preferred (the statuses)',
  );
});

test('a claim bound to a local volume confines its pod to the volume\'s node', () => {
  const objects = [makePVC('data', 'wait-sc', { boundPV: 'local-b' }), makePV('local-b', 'wait-sc', { affinity: { 'kubernetes.io/hostname': ['node-b'] } })];
  assert.deepEqual(run(podWith('data'), [nodeA(), makeNode('node-b')], objects).filter, ['UnschedulableAndUnresolvable: node(s) had volume node affinity conflict', null]);
});

test('WaitForFirstConsumer claims need free matching volumes on the node, one each', () => {
  const hostname = (n: string) => ({ 'kubernetes.io/hostname': [n] });
  // node-a has one disk for two claims; node-b has two.
  const objects = [
    makePVC('a', 'wait-sc'),
    makePVC('b', 'wait-sc'),
    makePV('a-disk', 'wait-sc', { affinity: hostname('node-a') }),
    makePV('b-disk-0', 'wait-sc', { affinity: hostname('node-b') }),
    makePV('b-disk-1', 'wait-sc', { affinity: hostname('node-b') }),
  ];
  assert.deepEqual(run(podWith('a', 'b'), [nodeA(), makeNode('node-b')], objects).filter, ["UnschedulableAndUnresolvable: node(s) didn't find available persistent volumes to bind", null]);
});

test('a claim naming its volume before the PV controller finished binding (no bind-completed annotation) is an unbound immediate claim', () => {
  const claim = makePVC('pvc-a', 'wait-sc');
  claim.spec.volumeName = 'pv-a';
  assert.equal(run(podWith('pvc-a'), [nodeA()], [claim, makePV('pv-a', 'wait-sc')]).preFilter, 'UnschedulableAndUnresolvable: pod has unbound immediate PersistentVolumeClaims');
});

test('a node VolumeBinding rejects is no preemption candidate; one NodeResourcesFit rejects is', () => {
  // The pod's claim is bound to a local volume on n1. n1 is full (Insufficient cpu:
  // Unschedulable); n2 has the cpu (and a low-priority pod) but the volume cannot be used there
  // (UnschedulableAndUnresolvable), so evicting cannot help. Since VolumeBinding's PreFilter
  // names n1 (GetEligibleNodes), n2 is not even filtered: it reads "node(s) didn't satisfy
  // plugin(s) [VolumeBinding]" rather than the volume node affinity conflict.
  const objects = [makePVC('data', 'wait-sc', { boundPV: 'local-n1' }), makePV('local-n1', 'wait-sc', { affinity: { 'kubernetes.io/hostname': ['n1'] } })];
  const fw = new Framework(buildProfiles(DEFAULT_SCHEDULER_CONFIG)[0]!, createStream(1, 'scheduler'), undefined);
  const schedule = (lowOnN1: boolean) => {
    const existing = lowOnN1 ? [makePod([{ cpu: '1' }], { name: 'low', nodeName: 'n1', priority: 0 } as never)] : [makePod([{ cpu: '1' }], { name: 'peer', nodeName: 'n1', priority: 100 } as never)];
    existing.push(makePod([{ cpu: '1' }], { name: 'low2', nodeName: 'n2', priority: 0 } as never));
    const snap = snapshotOf([makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '2' })], existing);
    snap.volumes = lister([...CLASSES, ...objects]);
    const pod = new PodInfo(makePod([{ cpu: '1' }], { name: 'p', priority: 100, volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } as never));
    const r = fw.schedulePod(snap, pod);
    return { r, post: fw.runPostFilter(r, pod)! };
  };
  // n1 full of a low-priority pod: the candidate, low the victim; n2 is not tried.
  let { r, post } = schedule(true);
  assert.equal(r.message, "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [VolumeBinding].");
  assert.equal(r.statuses.get('n2')?.code, 'UnschedulableAndUnresolvable');
  assert.equal(post.status.code, 'Success');
  assert.equal(post.nominatedNodeName, 'n1');
  assert.deepEqual(post.victims?.map((v) => v.name), ['low']);
  // With n1's pod of the preemptor's own priority, n1 has no victims, and n2 is never tried.
  ({ r, post } = schedule(false));
  assert.equal(post.status.code, 'Unschedulable');
  assert.equal(post.status.message, 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
  assert.equal(post.nominatedNodeName, '');
});

/** PreFilter's PreFilterResult.NodeNames (sorted), undefined for all nodes. */
function eligible(pod: ReturnType<typeof makePod>, objects: StorageObject[]): string[] | undefined {
  const snap = snapshotOf([nodeA()]);
  snap.volumes = lister([...CLASSES, ...objects]);
  const state = new CycleState(snap);
  assert.equal(volumeBinding().preFilter!(state, new PodInfo(pod)), null);
  return state.preFilterNodeNames ? [...state.preFilterNodeNames].sort() : undefined;
}

test('volume_binding_test.go TestVolumeBinding: PreFilter narrows to the nodes of bound local volumes (GetEligibleNodes)', () => {
  const bound = (pvc: string, pv: string) => makePVC(pvc, 'wait-sc', { boundPV: pv });
  const local = (pv: string, ...hosts: string[]) => makePV(pv, 'wait-sc', { affinity: { 'kubernetes.io/hostname': hosts } });
  // "all bound with local volumes": both volumes on node-a.
  assert.deepEqual(eligible(podWith('pvc-a', 'pvc-b'), [bound('pvc-a', 'pv-a'), bound('pvc-b', 'pv-b'), local('pv-a', 'node-a'), local('pv-b', 'node-a')]), ['node-a']);
  // "all bound": volumes without node affinity narrow nothing.
  assert.equal(eligible(podWith('pvc-a'), [bound('pvc-a', 'pv-a'), makePV('pv-a', 'wait-sc')]), undefined);
  // binder_test.go TestGetEligibleNodes cases: volumes on different nodes intersect to nothing;
  // a volume on several hosts; a zone-only affinity (no hostname expression) narrows nothing.
  assert.deepEqual(eligible(podWith('pvc-a', 'pvc-b'), [bound('pvc-a', 'pv-a'), bound('pvc-b', 'pv-b'), local('pv-a', 'node-a'), local('pv-b', 'node-b')]), []);
  assert.deepEqual(eligible(podWith('pvc-a', 'pvc-b'), [bound('pvc-a', 'pv-a'), bound('pvc-b', 'pv-b'), local('pv-a', 'node-a', 'node-b'), local('pv-b', 'node-b', 'node-c')]), ['node-b']);
  assert.equal(eligible(podWith('pvc-a'), [bound('pvc-a', 'pv-a'), makePV('pv-a', 'wait-sc', { affinity: { 'topology.kubernetes.io/zone': ['z1'] } })]), undefined);
  // A bound claim whose volume is missing: no narrowing (Filter reports it per node).
  assert.equal(eligible(podWith('pvc-a', 'pvc-b'), [bound('pvc-a', 'pv-a'), bound('pvc-b', 'pv-gone'), local('pv-a', 'node-a')]), undefined);
});

test('a pod whose bound local volumes sit on different nodes is rejected at PreFilter on every node', () => {
  const snap = snapshotOf([makeNode('node-a'), makeNode('node-b')]);
  snap.volumes = lister([
    ...CLASSES,
    makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' }),
    makePVC('pvc-b', 'wait-sc', { boundPV: 'pv-b' }),
    makePV('pv-a', 'wait-sc', { affinity: { 'kubernetes.io/hostname': ['node-a'] } }),
    makePV('pv-b', 'wait-sc', { affinity: { 'kubernetes.io/hostname': ['node-b'] } }),
  ]);
  const fw = new Framework(buildProfiles(DEFAULT_SCHEDULER_CONFIG)[0]!, createStream(1, 'scheduler'), undefined);
  const r = fw.schedulePod(snap, new PodInfo(podWith('pvc-a', 'pvc-b')));
  assert.equal(r.message, "0/2 nodes are available: node(s) didn't satisfy plugin VolumeBinding.");
  assert.deepEqual([...r.unschedulablePlugins], ['VolumeBinding']);
});
