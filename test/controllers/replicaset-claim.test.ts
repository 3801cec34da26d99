/**
 * The ReplicaSet controller claiming pods (claimPods, pkg/controller/controller_ref_manager.go
 * ClaimPods), in running clusters, against hand-computed timelines:
 *  - an orphan pod from a manifest that matches the selector is adopted at start, and only
 *    the missing replicas are created;
 *  - relabelled out of the selector, it is released (no owner reference: an orphan), keeps
 *    running and serving the Service that still selects it, is listed by `kubectl get pods`,
 *    and the ReplicaSet creates a replacement;
 *  - relabelled back, it is adopted again and the ReplicaSet deletes one pod: the replacement,
 *    ready for the least time (getPodsToDelete);
 *  - no Event is recorded for adoption or release.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive, isPodReady } from '../../engine/api/pod-lifecycle.js';
import type { Pod } from '../../engine/api/types.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

const SPEC = `
      containers:
        - name: nginx
          image: nginx:1.27
          readinessProbe: { httpGet: { path: /, port: 80 }, initialDelaySeconds: 2 }`;

function scenarioYaml(timeline: [string, string][], withOrphan = true): string {
  const orphan = `    - apiVersion: v1
      kind: Pod
      metadata: { name: solo, labels: { app: web, tier: front } }
      spec:${SPEC.replace(/\n {6}/g, '\n        ')}
`;
  const rs = `    - apiVersion: apps/v1
      kind: ReplicaSet
      metadata: { name: web }
      spec:
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web, tier: front } }
          spec:${SPEC.replace(/\n {6}/g, '\n            ')}
`;
  const lines = timeline.map(([at, run]) => `    - { at: ${at}, run: "${run}" }`).join('\n');
  return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: rs-claim }
spec:
  duration: 2m
  cluster:
    podCIDR: 10.244.0.0/16
    nodes:
      - { pool: w, count: 3, namePattern: "w{i}", ipStart: 10.0.0.11 }
  manifests:
${withOrphan ? orphan : ''}${rs}    - apiVersion: v1
      kind: Service
      metadata: { name: front }
      spec: { selector: { tier: front }, ports: [{ port: 80 }] }
  timeline:${lines ? `\n${lines}` : ' []'}
`;
}

function start(timeline: [string, string][], withOrphan = true): { run: ScenarioRun; obs: MemoryObserver } {
  const obs = new MemoryObserver();
  const run = new ScenarioRun(loadScenarioText(scenarioYaml(timeline, withOrphan), 'rs-claim.yaml').scenario, obs);
  return { run, obs };
}

function until(run: ScenarioRun, t: number): void {
  while (run.now < t && !run.done) run.advance();
}

const controller = (p: Pod) => p.metadata.ownerReferences?.find((r) => r.controller);
const activePods = (run: ScenarioRun) => run.apiServer.list('Pod').filter(isPodActive);
const owned = (run: ScenarioRun) => activePods(run).filter((p) => controller(p)?.name === 'web');

function endpointNames(run: ScenarioRun): string[] {
  return run.apiServer
    .list('EndpointSlice')
    .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'front')
    .flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready).map((e) => e.targetRef?.name ?? ''))
    .sort();
}

test('an orphan pod from a manifest matching the selector is adopted at start: 2 pods created, not 3', () => {
  const { run, obs } = start([]);
  until(run, 30);
  const solo = run.apiServer.get('Pod', 'default', 'solo')!;
  const rs = run.apiServer.get('ReplicaSet', 'default', 'web')!;
  assert.deepEqual(solo.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal(owned(run).length, 3);
  assert.equal(obs.eventsWith('SuccessfulCreate').length, 2);
  assert.equal(obs.eventsWith('SuccessfulDelete').length, 0);
  assert.equal(rs.status?.replicas, 3);
  assert.equal(rs.status?.readyReplicas, 3);
});

test('a pod from `kubectl run` with the selector\'s labels is adopted, and at once deleted as the surplus: it is not yet scheduled', () => {
  const { run, obs } = start([['30s', 'kubectl run extra --image=nginx:1.27 --labels=app=web,tier=front']], false);
  until(run, 29);
  assert.equal(owned(run).length, 3);
  until(run, 60);
  assert.equal(obs.eventsWith('SuccessfulCreate').length, 3);
  // Adopted while unassigned: the first to go (ActivePodsWithRanks rule 1), before the three Running pods.
  assert.deepEqual(obs.eventsWith('SuccessfulDelete').map((e) => e.message), ['Deleted pod: extra']);
  assert.equal(run.apiServer.get('Pod', 'default', 'extra'), undefined);
  assert.equal(owned(run).length, 3);
});

test('relabelled out: released (no owner reference), still Running, serving and listed; a replacement is created; relabelled back: adopted, the replacement deleted', () => {
  const { run, obs } = start([
    ['30s', 'kubectl label pod solo app=other --overwrite'],
    ['60s', 'kubectl get pods'],
    ['90s', 'kubectl label pod solo app=web --overwrite'],
  ]);
  until(run, 29);
  const before = new Set(owned(run).map((p) => p.metadata.name));
  assert.ok(before.has('solo'));
  until(run, 60);
  const api = run.apiServer;
  const solo = api.get('Pod', 'default', 'solo')!;
  assert.equal(solo.metadata.ownerReferences, undefined, 'released: the owner reference is gone');
  assert.equal(solo.status?.phase, 'Running');
  assert.ok(isPodReady(solo));
  const replacement = owned(run).filter((p) => !before.has(p.metadata.name));
  assert.equal(replacement.length, 1, 'one replacement');
  assert.equal(owned(run).length, 3);
  assert.equal(activePods(run).length, 4);
  assert.equal(api.get('ReplicaSet', 'default', 'web')!.status?.replicas, 3);
  // The Service selects tier=front, which solo kept: it still serves, beside the three owned pods.
  assert.deepEqual(endpointNames(run), [...activePods(run).map((p) => p.metadata.name)].sort());
  const snapshot = obs.snapshots.find((s) => s.command === 'kubectl get pods')!.text;
  assert.match(snapshot, /^solo +1\/1 +Running +0 /m);
  assert.equal(snapshot.trim().split('\n').length, 5, 'header and four pods');

  until(run, 120);
  const adopted = api.get('Pod', 'default', 'solo')!;
  assert.equal(controller(adopted)?.name, 'web');
  assert.equal(controller(adopted)?.blockOwnerDeletion, true);
  // Four claimed, one too many: all Running and Ready, rank 0 (no controller above the ReplicaSet);
  // the replacement, ready ~55 s (2^35 ns < 55 s < 2^36 ns), goes before the others, ready ~85 s (2^36 ns < 85 s).
  assert.deepEqual(obs.eventsWith('SuccessfulDelete').map((e) => e.message), [`Deleted pod: ${replacement[0]!.metadata.name}`]);
  assert.equal(owned(run).length, 3);
  assert.ok(owned(run).some((p) => p.metadata.name === 'solo'));
  assert.equal(api.get('ReplicaSet', 'default', 'web')!.status?.replicas, 3);
  // Neither the adoptions nor the release recorded an Event: creates and the one delete only.
  assert.deepEqual(
    [...new Set(obs.events.filter((e) => e.kind === 'ReplicaSet').map((e) => e.reason))].sort(),
    ['SuccessfulCreate', 'SuccessfulDelete'],
  );
  assert.equal(obs.eventsWith('SuccessfulCreate').length, 3, 'two at start, one replacement');
});
