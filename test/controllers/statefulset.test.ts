/**
 * The StatefulSet controller in a running cluster, against the guarantees documented for
 * StatefulSets (kubernetes.io/docs/concepts/workloads/controllers/statefulset, "Deployment and
 * Scaling Guarantees") and the cases of pkg/controller/statefulset/stateful_set_control_test.go
 * (CreatesPods, ScalesUp, ScalesDown, ReplacesPods): OrderedReady creates ordinals one by one,
 * each after its predecessor is Running and Ready, and deletes them highest first, one at a
 * time; Parallel creates them all at once; each ordinal keeps its claims.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isPodReady } from '../../engine/api/pod-lifecycle.js';
import { parseKubectl } from '../../engine/kubectl/index.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

interface Options {
  replicas: number;
  policy?: 'OrderedReady' | 'Parallel';
  claims?: boolean;
  timeline?: [string, string][];
  duration?: string;
}

// Claims need volumes: static hostPath volumes, bound at once (Immediate). VolumeBinding is
// disabled in these runs because the scheduler's plugin does not read claims yet (it refuses
// any pod with a claim); what is checked here is the StatefulSet's side of the contract.
function scenarioYaml(o: Options): string {
  const volumes = o.claims
    ? Array.from({ length: 5 }, (_, i) => `    - { apiVersion: v1, kind: PersistentVolume, metadata: { name: disk-${i} }, spec: { capacity: { storage: 10Gi }, accessModes: [ReadWriteOnce], hostPath: { path: /d${i} } } }`).join('\n') + '\n'
    : '';
  const claimTemplates = o.claims
    ? `        volumeClaimTemplates:
          - metadata: { name: www }
            spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`
    : '';
  const scheduler = o.claims
    ? `  scheduler:
    config:
      apiVersion: kubescheduler.config.k8s.io/v1
      kind: KubeSchedulerConfiguration
      profiles: [{ schedulerName: default-scheduler, plugins: { multiPoint: { disabled: [{ name: VolumeBinding }] } } }]
`
    : '';
  const timeline = (o.timeline ?? []).map(([at, run]) => `    - { at: ${at}, run: "${run}" }`).join('\n');
  return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: sts }
spec:
  duration: ${o.duration ?? '2m'}
  cluster:
    podCIDR: 10.244.0.0/16
    nodes:
      - { pool: w, count: 3, namePattern: "w{i}", ipStart: 10.0.0.11 }
  manifests:
${volumes}    - apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: web }
      spec:
        serviceName: web
        replicas: ${o.replicas}
        podManagementPolicy: ${o.policy ?? 'OrderedReady'}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers:
              - name: nginx
                image: nginx:1.27
                readinessProbe: { httpGet: { path: /, port: 80 }, initialDelaySeconds: 3 }
${claimTemplates}${scheduler}  timeline:${timeline ? `\n${timeline}` : ' []'}
`;
}

interface PodHistory {
  created: Map<string, number>;
  ready: Map<string, number>;
  deleting: Map<string, number>;
  gone: Map<string, number>;
}

/** Runs the scenario, recording the first creation, Ready, deletion-request and removal instant of each pod name. */
function runRecording(o: Options): { run: ScenarioRun; obs: MemoryObserver; h: PodHistory } {
  const obs = new MemoryObserver();
  const run = new ScenarioRun(loadScenarioText(scenarioYaml(o), 'sts.yaml').scenario, obs);
  const h: PodHistory = { created: new Map(), ready: new Map(), deleting: new Map(), gone: new Map() };
  run.apiServer.watch('Pod', (type, pod) => {
    const name = pod.metadata.name;
    if (type === 'ADDED' && !h.created.has(name)) h.created.set(name, pod.metadata.creationTimestamp!);
    if (isPodReady(pod) && !h.ready.has(name)) h.ready.set(name, run.now);
    if (pod.metadata.deletionTimestamp !== undefined && !h.deleting.has(name)) h.deleting.set(name, run.now);
    if (type === 'DELETED' && !h.gone.has(name)) h.gone.set(name, run.now);
  });
  run.finish();
  return { run, obs, h };
}

const byTime = (m: Map<string, number>) => [...m.entries()].sort((a, b) => a[1] - b[1]).map(([name]) => name);

test('OrderedReady: pods web-0..web-3 are created one at a time and become Ready strictly in ordinal order', () => {
  const { run, h } = runRecording({ replicas: 4 });
  assert.deepEqual(byTime(h.ready), ['web-0', 'web-1', 'web-2', 'web-3']);
  const readyTimes = byTime(h.ready).map((n) => h.ready.get(n)!);
  for (let i = 1; i < readyTimes.length; i++) assert.ok(readyTimes[i]! > readyTimes[i - 1]!, 'strictly later');
  // Each ordinal is created only once its predecessor is Running and Ready.
  for (let i = 1; i < 4; i++) assert.ok(h.created.get(`web-${i}`)! >= h.ready.get(`web-${i - 1}`)!, `web-${i} created after web-${i - 1} was Ready`);
  const pods = run.apiServer.list('Pod');
  for (const pod of pods) {
    assert.match(pod.metadata.name, /^web-\d+$/);
    assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], pod.metadata.name);
    assert.equal(pod.metadata.labels?.['apps.kubernetes.io/pod-index'], pod.metadata.name.slice(4));
    assert.equal(pod.spec.hostname, pod.metadata.name);
    assert.equal(pod.spec.subdomain, 'web');
    assert.deepEqual(pod.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller]), [['StatefulSet', 'web', true]]);
  }
  const status = run.apiServer.get('StatefulSet', 'default', 'web')!.status!;
  assert.deepEqual([status.replicas, status.readyReplicas, status.currentReplicas, status.updatedReplicas], [4, 4, 4, 4]);
});

test('OrderedReady scale-down deletes the highest ordinal first, each after the previous one is gone', () => {
  const { run, h } = runRecording({ replicas: 4, timeline: [['60s', 'kubectl scale sts web --replicas=1']] });
  assert.deepEqual(byTime(h.deleting), ['web-3', 'web-2', 'web-1']);
  assert.ok(h.deleting.get('web-2')! >= h.gone.get('web-3')!);
  assert.ok(h.deleting.get('web-1')! >= h.gone.get('web-2')!);
  assert.deepEqual(run.apiServer.list('Pod').map((p) => p.metadata.name), ['web-0']);
});

test('Parallel creates every ordinal at once and deletes every condemned pod at once', () => {
  const { run, h } = runRecording({ replicas: 4, policy: 'Parallel', timeline: [['60s', 'kubectl scale statefulset web --replicas=1']] });
  assert.deepEqual([...h.created.keys()].sort(), ['web-0', 'web-1', 'web-2', 'web-3']);
  assert.equal(new Set(h.created.values()).size, 1, 'one creation instant');
  assert.equal(new Set([...h.deleting.values()]).size, 1, 'one deletion instant');
  assert.deepEqual([...h.deleting.keys()].sort(), ['web-1', 'web-2', 'web-3']);
  assert.equal(run.apiServer.list('Pod').length, 1);
});

test('each ordinal keeps its claim <template>-<set>-<ordinal> when its pod is deleted and when the set shrinks and grows', () => {
  const { run, obs, h } = runRecording({
    replicas: 3,
    claims: true,
    duration: '4m',
    timeline: [
      ['60s', 'kubectl delete pod web-1'],
      ['120s', 'kubectl scale statefulset web --replicas=1'],
      ['180s', 'kubectl scale statefulset web --replicas=3'],
    ],
  });
  const api = run.apiServer;
  assert.ok(h.gone.has('web-1') && h.gone.has('web-2'), 'pods were deleted and recreated');
  const claims = api.list('PersistentVolumeClaim');
  assert.deepEqual(claims.map((c) => c.metadata.name), ['www-web-0', 'www-web-1', 'www-web-2']);
  // Claims were created once, before their pods, and never again.
  const claimEvents = obs.eventsWith('SuccessfulCreate').filter((e) => e.message.startsWith('create Claim')).map((e) => e.message);
  assert.deepEqual(claimEvents, [
    'create Claim www-web-0 Pod web-0 in StatefulSet web success',
    'create Claim www-web-1 Pod web-1 in StatefulSet web success',
    'create Claim www-web-2 Pod web-2 in StatefulSet web success',
  ]);
  for (const pod of api.list('Pod')) {
    const ordinal = pod.metadata.name.slice(4);
    const volumes = pod.spec.volumes as { name: string; persistentVolumeClaim?: { claimName: string } }[];
    assert.deepEqual(volumes, [{ name: 'www', persistentVolumeClaim: { claimName: `www-web-${ordinal}` } }]);
  }
  // Every claim is Bound, each to its own volume, labelled with the set's selector.
  assert.deepEqual(claims.map((c) => c.status?.phase), ['Bound', 'Bound', 'Bound']);
  assert.equal(new Set(claims.map((c) => c.spec.volumeName)).size, 3);
  for (const c of claims) assert.equal(c.metadata.labels?.app, 'web');
  assert.deepEqual(api.list('Pod').map((p) => p.metadata.name).sort(), ['web-0', 'web-1', 'web-2']);
});

test('kubectl scale accepts statefulset, statefulsets, sts and statefulset/NAME', () => {
  for (const line of ['kubectl scale statefulset web --replicas=2', 'kubectl scale statefulsets web --replicas=2', 'kubectl scale sts web --replicas=2', 'kubectl scale statefulset/web --replicas=2']) {
    assert.deepEqual(parseKubectl(line), { verb: 'scale', resource: 'statefulset', name: 'web', namespace: 'default', replicas: 2 });
  }
});
