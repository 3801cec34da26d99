/**
 * PersistentVolume binding: the matching rules transcribed from upstream's
 * pkg/controller/volume/persistentvolume/index_test.go (TestMatchVolume,
 * TestMatchingWithBoundVolumes, TestFindingVolumeWithDifferentAccessModes,
 * TestFindingPreboundVolumes), the PV controller in a running cluster, and the node
 * constraints a claim puts on its pod (engine/api/volume-node-constraints.ts).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CLASS_ANNOTATION, defaultStorageClass, findBestMatchForClaim } from '../../engine/api/persistent-volumes.js';
import type { ApiServer } from '../../engine/api/store.js';
import type { PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim, Pod, StorageClass } from '../../engine/api/types.js';
import {
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_UNBOUND_IMMEDIATE,
  volumeNodeConflict,
  volumeNodeConstraints,
  type VolumeLister,
} from '../../engine/api/volume-node-constraints.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

const RWO: PersistentVolumeAccessMode = 'ReadWriteOnce';
const ROX: PersistentVolumeAccessMode = 'ReadOnlyMany';
const RWX: PersistentVolumeAccessMode = 'ReadWriteMany';

function pv(name: string, size: string, modes: PersistentVolumeAccessMode[], o: { claimRef?: PersistentVolume['spec']['claimRef']; labels?: Record<string, string>; class?: string; node?: string } = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      labels: o.labels,
      annotations: o.class ? { 'volume.beta.kubernetes.io/storage-class': o.class } : undefined,
    },
    spec: {
      capacity: { storage: size },
      accessModes: modes,
      claimRef: o.claimRef,
      nodeAffinity: o.node ? { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.node] }] }] } } : undefined,
    },
    // Current upstream only binds volumes in phase Available (the old test predates the check).
    status: { phase: 'Available' },
  };
}

function claim(size: string, modes: PersistentVolumeAccessMode[] = [ROX, RWO], o: { selector?: Record<string, string>; class?: string; name?: string; namespace?: string } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: o.name ?? 'claim01',
      namespace: o.namespace ?? 'myns',
      uid: 'claim-uid',
      annotations: o.class ? { 'volume.beta.kubernetes.io/storage-class': o.class } : undefined,
    },
    spec: { accessModes: modes, resources: { requests: { storage: size } }, selector: o.selector ? { matchLabels: o.selector } : undefined },
  };
}

/** index_test.go createTestVolumes, deliberately out of order (names here are the upstream UIDs). */
function createTestVolumes(): PersistentVolume[] {
  return [
    pv('gce-pd-10', '10G', [RWO, ROX]),
    pv('gce-pd-20', '20G', [RWO, ROX], { claimRef: { uid: 'def456' } }),
    pv('nfs-5', '5G', [RWO, ROX, RWX]),
    pv('gce-pd-1', '1G', [RWO, ROX], { claimRef: { uid: 'abc123' } }),
    pv('nfs-10', '10G', [RWO, ROX, RWX]),
    pv('gce-pd-5', '5G', [RWO, ROX]),
    pv('nfs-1', '1G', [RWO, ROX, RWX]),
    pv('gce-pd-2', '20000G', [RWO], { labels: { 'should-exist': 'true' } }),
    pv('gce-pd-silver1', '10000G', [RWO], { labels: { 'should-exist': 'true' }, class: 'silver' }),
    pv('gce-pd-silver2', '100G', [RWO], { class: 'silver' }),
    pv('gce-pd-gold', '50G', [RWO], { class: 'gold' }),
  ];
}

const match = (c: PersistentVolumeClaim, volumes: PersistentVolume[]) => findBestMatchForClaim(c, volumes, false)?.metadata.name;

test('TestMatchVolume: the smallest volume of the claim class that fits size, modes and selector', () => {
  const volumes = createTestVolumes();
  const cases: [string, PersistentVolumeClaim, string | undefined][] = [
    ['successful-match-gce-10', claim('8G'), 'gce-pd-10'],
    ['successful-match-nfs-5', claim('5G', [ROX, RWO, RWX]), 'nfs-5'],
    ['successful-skip-1g-bound-volume', claim('1G'), 'gce-pd-5'],
    ['successful-no-match', claim('999G'), undefined],
    ['successful-no-match-due-to-label', claim('999G', [ROX, RWO], { selector: { 'should-not-exist': 'true' } }), undefined],
    ['successful-no-match-due-to-size-constraint-with-label-selector', claim('20000G', [ROX, RWO], { selector: { 'should-exist': 'true' } }), undefined],
    ['successful-match-due-with-constraint-and-label-selector', claim('20000G', [RWO], { selector: { 'should-exist': 'true' } }), 'gce-pd-2'],
    ['successful-match-with-class', claim('1G', [RWO], { selector: { 'should-exist': 'true' }, class: 'silver' }), 'gce-pd-silver1'],
    ['successful-match-with-class-and-labels', claim('1G', [RWO], { class: 'silver' }), 'gce-pd-silver2'],
  ];
  for (const [name, c, expected] of cases) assert.equal(match(c, volumes), expected, name);
});

test('TestMatchingWithBoundVolumes: of two equal volumes the bound one is skipped', () => {
  const volumes = [pv('gce001', '1G', [RWO, ROX], { claimRef: { uid: 'abc123' } }), pv('gce002', '1G', [RWO, ROX])];
  assert.equal(match(claim('1G'), volumes), 'gce002');
});

test('TestFindingVolumeWithDifferentAccessModes: the smallest set of modes containing the request wins', () => {
  const gce = pv('gce', '10G', [RWO, ROX]);
  const ebs = pv('ebs', '10G', [RWO]);
  const nfs = pv('nfs', '10G', [RWO, ROX, RWX]);
  const volumes = [gce, ebs, nfs];
  assert.equal(match(claim('1G', [RWO]), volumes), 'ebs');
  assert.equal(match(claim('1G', [RWO, ROX]), volumes), 'gce');
  // The order of the requested modes does not matter; fewer modes still match.
  assert.equal(match(claim('1G', [RWX, RWO, ROX]), volumes), 'nfs');
  assert.equal(match(claim('1G', [RWX]), volumes), 'nfs');
  // The exact match is bound: the next level of modes up.
  ebs.spec.claimRef = {};
  assert.equal(match(claim('1G', [RWO]), volumes), 'gce');
  gce.spec.claimRef = {};
  assert.equal(match(claim('1G', [RWO]), volumes), 'nfs');
  // Partial mode request.
  gce.spec.claimRef = undefined;
  assert.equal(match(claim('1G', [ROX]), volumes), 'gce');
});

test('TestFindingPreboundVolumes: a volume pre-bound to the claim wins unless too small or of other modes', () => {
  const c = claim('1Gi', [RWO]);
  const ref = { name: 'claim01', namespace: 'myns' };
  const pv1 = pv('pv1', '1Gi', [RWO]);
  const pv5 = pv('pv5', '5Gi', [RWO]);
  const pv8 = pv('pv8', '8Gi', [RWO]);
  const pvBadSize = pv('pvBadSize', '1Mi', [RWO]);
  const pvBadMode = pv('pvBadMode', '1Gi', [ROX]);
  const volumes = [pv1, pv5, pv8, pvBadSize, pvBadMode];
  assert.equal(match(c, volumes), 'pv1');
  pv1.spec.claimRef = { name: 'foo', namespace: 'bar' };
  assert.equal(match(c, volumes), 'pv5');
  pv1.spec.claimRef = undefined;
  pv8.spec.claimRef = ref;
  assert.equal(match(c, volumes), 'pv8');
  pv8.spec.claimRef = undefined;
  pvBadSize.spec.claimRef = ref;
  assert.equal(match(c, volumes), 'pv1');
  pvBadSize.spec.claimRef = undefined;
  pvBadMode.spec.claimRef = ref;
  assert.equal(match(c, volumes), 'pv1');
});

/** A read-only lister over fixed objects, shaped as the scheduler would give it. */
function lister(objects: (PersistentVolume | PersistentVolumeClaim | StorageClass)[]): VolumeLister {
  const get = (kind: string, namespace: string | undefined, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && (kind === 'PersistentVolumeClaim' ? (o.metadata.namespace ?? 'default') === (namespace ?? 'default') : true));
  const list = (kind: string) => objects.filter((o) => o.kind === kind);
  return { get, list } as unknown as Pick<ApiServer, 'get' | 'list'>;
}

function podWithClaims(...claims: string[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'myns' },
    spec: { containers: [{ name: 'c', image: 'i' }], volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) },
  };
}

test('volumeNodeConstraints: a claim bound to a local volume confines its pod to the volume node', () => {
  const bound = claim('1Gi', [RWO], { name: 'data' });
  bound.spec.volumeName = 'local-w2';
  const api = lister([bound, pv('local-w2', '10Gi', [RWO], { node: 'w2' })]);
  const c = volumeNodeConstraints(api, podWithClaims('data'))!;
  assert.equal(c.unresolvable, undefined);
  assert.equal(volumeNodeConflict(c, { 'kubernetes.io/hostname': 'w2' }, 'w2'), null);
  assert.equal(volumeNodeConflict(c, { 'kubernetes.io/hostname': 'w1' }, 'w1'), ERR_REASON_NODE_CONFLICT);
  // No claims: nothing to check (VolumeBinding's PreFilter Skip).
  assert.equal(volumeNodeConstraints(api, podWithClaims()), undefined);
});

test('volumeNodeConstraints: a missing claim or an unbound Immediate claim keeps the pod Pending everywhere', () => {
  const api = lister([claim('1Gi', [RWO], { name: 'unbound' })]);
  assert.equal(volumeNodeConstraints(api, podWithClaims('nope'))!.unresolvable, 'persistentvolumeclaim "nope" not found');
  assert.equal(volumeNodeConstraints(api, podWithClaims('unbound'))!.unresolvable, ERR_REASON_UNBOUND_IMMEDIATE);
});

test('volumeNodeConstraints: WaitForFirstConsumer claims need free matching volumes on the node, one each', () => {
  const wffc: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' };
  const a = claim('1Gi', [RWO], { name: 'a' });
  const b = claim('1Gi', [RWO], { name: 'b' });
  a.spec.storageClassName = b.spec.storageClassName = 'local';
  const w1 = pv('w1-disk', '10Gi', [RWO], { node: 'w1' });
  const w2a = pv('w2-disk-a', '10Gi', [RWO], { node: 'w2' });
  const w2b = pv('w2-disk-b', '10Gi', [RWO], { node: 'w2' });
  for (const v of [w1, w2a, w2b]) v.spec.storageClassName = 'local';
  const c = volumeNodeConstraints(lister([wffc, a, b, w1, w2a, w2b]), podWithClaims('a', 'b'))!;
  assert.equal(c.unresolvable, undefined);
  assert.equal(volumeNodeConflict(c, { 'kubernetes.io/hostname': 'w2' }, 'w2'), null);
  // w1 has one disk for two claims.
  assert.equal(volumeNodeConflict(c, { 'kubernetes.io/hostname': 'w1' }, 'w1'), ERR_REASON_BIND_CONFLICT);
});

function runCluster(manifests: string, extra = ''): { run: ScenarioRun; obs: MemoryObserver } {
  const yaml = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: pv }
spec:
  duration: 1m
  cluster:
    podCIDR: 10.244.0.0/16
    nodes:
      - { pool: w, count: 2, namePattern: "w{i}", ipStart: 10.0.0.11 }
  manifests:
${manifests}
${extra}`;
  const obs = new MemoryObserver();
  const run = new ScenarioRun(loadScenarioText(yaml, 'pv.yaml').scenario, obs);
  run.finish();
  return { run, obs };
}

const volumeYaml = (name: string, size: string, modes = '[ReadWriteOnce]') => `    - apiVersion: v1
      kind: PersistentVolume
      metadata: { name: ${name} }
      spec: { capacity: { storage: ${size} }, accessModes: ${modes}, hostPath: { path: /data/${name} } }`;
const claimYaml = (name: string, size: string) => `    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: { name: ${name} }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: ${size} } } }`;

test('the PV controller binds each claim to the smallest fitting volume; an unsatisfiable claim stays Pending', () => {
  const { run, obs } = runCluster(
    [volumeYaml('big', '100Gi'), volumeYaml('small', '1Gi'), volumeYaml('medium', '10Gi'), volumeYaml('rwx', '5Gi', '[ReadWriteMany]'), claimYaml('two', '2Gi'), claimYaml('huge', '1Ti')].join('\n'),
  );
  const api = run.apiServer;
  const two = api.get('PersistentVolumeClaim', 'default', 'two')!;
  // 1Gi is too small, rwx lacks ReadWriteOnce; 10Gi is the smallest that fits.
  assert.equal(two.spec.volumeName, 'medium');
  assert.equal(two.status?.phase, 'Bound');
  assert.deepEqual(two.status?.capacity, { storage: '10Gi' });
  assert.equal(two.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  const medium = api.get('PersistentVolume', undefined, 'medium')!;
  assert.equal(medium.status?.phase, 'Bound');
  assert.deepEqual([medium.spec.claimRef?.namespace, medium.spec.claimRef?.name, medium.spec.claimRef?.uid], ['default', 'two', two.metadata.uid]);
  assert.deepEqual(
    ['big', 'small', 'rwx'].map((n) => api.get('PersistentVolume', undefined, n)!.status?.phase),
    ['Available', 'Available', 'Available'],
  );
  const huge = api.get('PersistentVolumeClaim', 'default', 'huge')!;
  assert.equal(huge.spec.volumeName, undefined);
  assert.equal(huge.status?.phase, 'Pending');
  assert.deepEqual(
    obs.eventsWith('FailedBinding').map((e) => [e.name, e.message]),
    [['huge', 'no persistent volumes available for this claim and no storage class is set']],
  );
});

test('a pod whose claim does not exist stays Pending', () => {
  const { run, obs } = runCluster(`    - apiVersion: v1
      kind: Pod
      metadata: { name: db }
      spec:
        containers: [{ name: db, image: postgres:16 }]
        volumes: [{ name: data, persistentVolumeClaim: { claimName: missing } }]`);
  const pod = run.apiServer.get('Pod', 'default', 'db')!;
  assert.equal(pod.spec.nodeName, undefined);
  assert.notEqual(pod.status?.phase, 'Running');
  assert.match(obs.eventsWith('FailedScheduling')[0]!.message, /persistentvolumeclaim "missing" not found/);
});

test('GetDefaultClass: the newest default class by creation time in whole seconds, equal seconds by name', () => {
  const sc = (name: string, creationTimestamp: number, isDefault = true): StorageClass => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, creationTimestamp, ...(isDefault ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } } : {}) },
    provisioner: 'p',
  });
  // 'zeta' at 5.9 s is newer than 'alpha' at 5.1 s, but both read back as 5 s: 'alpha' by name.
  assert.equal(defaultStorageClass([sc('zeta', 5.9), sc('alpha', 5.1)])!.metadata.name, 'alpha');
  // A second apart: the newest, whatever the name; a class not marked default is never chosen.
  assert.equal(defaultStorageClass([sc('alpha', 5.1), sc('zeta', 6.0), sc('newer', 9, false)])!.metadata.name, 'zeta');
  assert.equal(defaultStorageClass([sc('plain', 1, false)]), undefined);
});
