/**
 * PersistentVolume binding: the matching rules transcribed from upstream's
 * pkg/controller/volume/persistentvolume/index_test.go (TestMatchVolume,
 * TestMatchingWithBoundVolumes, TestFindingVolumeWithDifferentAccessModes,
 * TestFindingPreboundVolumes), the PV controller in a running cluster, and the default
 * StorageClass (pkg/volume/util/storageclass.go GetDefaultClass). The node constraints a claim
 * puts on its pod are the scheduler's VolumeBinding plugin's (test/scheduler/volume-binding.test.ts).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CLASS_ANNOTATION, defaultStorageClass, findBestMatchForClaim } from '../../engine/api/persistent-volumes.js';
import type { PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim, StorageClass } from '../../engine/api/types.js';
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
