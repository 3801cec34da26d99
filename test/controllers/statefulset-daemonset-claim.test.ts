/**
 * StatefulSets and DaemonSets claiming pods (stateful_set.go getPodsForStatefulSet, ClaimPods
 * with the isMemberOf filter; daemon_controller.go getDaemonPods and getNodesToDaemonPods), in
 * running clusters, against hand-computed timelines.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPodActive } from '../../engine/api/pod-lifecycle.js';
import type { Pod } from '../../engine/api/types.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

const CONTAINER = `containers: [{ name: nginx, image: "nginx:1.27", readinessProbe: { httpGet: { path: /, port: 80 }, initialDelaySeconds: 2 } }]`;

/** `files` are written next to the scenario, for `kubectl apply -f`. */
function scenario(manifests: string, timeline: [string, string][], files: Record<string, string> = {}): { run: ScenarioRun; obs: MemoryObserver } {
  const lines = timeline.map(([at, run]) => `    - { at: ${at}, run: "${run}" }`).join('\n');
  const yaml = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: claim }
spec:
  duration: 3m
  cluster:
    podCIDR: 10.244.0.0/16
    nodes:
      - { pool: w, count: 3, namePattern: "w{i}", ipStart: 10.0.0.11 }
  manifests:
${manifests}  timeline:${lines ? `\n${lines}` : ' []'}
`;
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-claim-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const obs = new MemoryObserver();
  return { run: new ScenarioRun(loadScenarioText(yaml, join(dir, 'claim.yaml')).scenario, obs), obs };
}

function until(run: ScenarioRun, t: number): void {
  while (run.now < t && !run.done) run.advance();
}

const controllerName = (p: Pod | undefined) => p?.metadata.ownerReferences?.find((r) => r.controller)?.name;

const STATEFULSET = `    - apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: web }
      spec:
        serviceName: web
        replicas: 3
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { ${CONTAINER} }
`;

test('StatefulSet: a pod relabelled out is released and keeps its name, so the ordinal cannot be recreated (AlreadyExists, no event); relabelled back it is adopted', () => {
  const { run, obs } = scenario(STATEFULSET, [
    ['60s', 'kubectl label pod web-1 app=other --overwrite'],
    ['120s', 'kubectl label pod web-1 app=web --overwrite'],
  ]);
  until(run, 59);
  const api = run.apiServer;
  assert.equal(api.get('StatefulSet', 'default', 'web')!.status?.replicas, 3);
  const uid = api.get('Pod', 'default', 'web-1')!.metadata.uid;
  until(run, 110);
  const released = api.get('Pod', 'default', 'web-1')!;
  assert.equal(released.metadata.uid, uid, 'the same pod');
  assert.equal(released.metadata.ownerReferences, undefined);
  assert.equal(released.status?.phase, 'Running');
  assert.equal(api.get('StatefulSet', 'default', 'web')!.status?.replicas, 2, 'web-0 and web-2 claimed');
  // One create per ordinal, at start: the tries to recreate web-1 fail with AlreadyExists and record nothing.
  const creates = () => obs.eventsWith('SuccessfulCreate').map((e) => e.message);
  assert.deepEqual(creates(), ['create Pod web-0 in StatefulSet web successful', 'create Pod web-1 in StatefulSet web successful', 'create Pod web-2 in StatefulSet web successful']);
  until(run, 180);
  const adopted = api.get('Pod', 'default', 'web-1')!;
  assert.equal(adopted.metadata.uid, uid);
  assert.equal(controllerName(adopted), 'web');
  assert.equal(api.get('StatefulSet', 'default', 'web')!.status?.replicas, 3);
  assert.equal(creates().length, 3);
  assert.equal(obs.eventsWith('SuccessfulDelete').length, 0);
});

test('StatefulSet: an orphan named like one of its ordinals is adopted (and, lacking the revision label, rolled); one of another name is not', () => {
  const orphans = `    - { apiVersion: v1, kind: Pod, metadata: { name: web-2, labels: { app: web } }, spec: { ${CONTAINER} } }
    - { apiVersion: v1, kind: Pod, metadata: { name: other-0, labels: { app: web } }, spec: { ${CONTAINER} } }
`;
  const { run, obs } = scenario(orphans + STATEFULSET, []);
  until(run, 180);
  const api = run.apiServer;
  assert.equal(controllerName(api.get('Pod', 'default', 'web-2')), 'web');
  assert.equal(api.get('Pod', 'default', 'other-0')!.metadata.ownerReferences, undefined, 'not a member: isMemberOf filters it');
  // web-2 was adopted, so not created with the others; then replaced by the rolling update, its revision being unknown.
  assert.deepEqual(obs.eventsWith('SuccessfulCreate').map((e) => e.message), [
    'create Pod web-0 in StatefulSet web successful',
    'create Pod web-1 in StatefulSet web successful',
    'create Pod web-2 in StatefulSet web successful',
  ]);
  assert.deepEqual(obs.eventsWith('SuccessfulDelete').map((e) => e.message), ['delete Pod web-2 in StatefulSet web successful']);
  const created = obs.eventsWith('SuccessfulCreate');
  assert.ok(obs.eventsWith('SuccessfulDelete')[0]!.time < created[2]!.time, 'web-2 deleted before it is created anew');
  assert.equal(api.get('StatefulSet', 'default', 'web')!.status?.replicas, 3);
});

const daemonSet = (strategy: 'OnDelete' | 'RollingUpdate') => `    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        updateStrategy: { type: ${strategy} }
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec: { ${CONTAINER} }
`;
const MANUAL_AGENT = `    - { apiVersion: v1, kind: Pod, metadata: { name: agent-manual, labels: { app: agent } }, spec: { nodeName: w2, ${CONTAINER} } }
`;

test('DaemonSet (OnDelete): an orphan on a node is adopted as that node\'s daemon pod; relabelled out it is released and the node gets a daemon pod; relabelled back the node has two and keeps the oldest', () => {
  const { run, obs } = scenario(MANUAL_AGENT + daemonSet('OnDelete'), [
    ['60s', 'kubectl label pod agent-manual app=manual --overwrite'],
    ['120s', 'kubectl label pod agent-manual app=agent --overwrite'],
  ]);
  const api = run.apiServer;
  const onNode = (node: string) => api.list('Pod').filter((p) => isPodActive(p) && p.spec.nodeName === node && controllerName(p) === 'agent').map((p) => p.metadata.name);
  until(run, 59);
  assert.equal(controllerName(api.get('Pod', 'default', 'agent-manual')), 'agent');
  assert.deepEqual(onNode('w2'), ['agent-manual']);
  assert.equal(obs.eventsWith('SuccessfulCreate').length, 2, 'w1 and w3 only');
  assert.equal(api.get('DaemonSet', 'default', 'agent')!.status?.currentNumberScheduled, 3);
  until(run, 110);
  assert.equal(api.get('Pod', 'default', 'agent-manual')!.metadata.ownerReferences, undefined);
  assert.equal(api.get('Pod', 'default', 'agent-manual')!.status?.phase, 'Running');
  const created = obs.eventsWith('SuccessfulCreate');
  assert.equal(created.length, 3, 'w2 got a daemon pod');
  const daemonW2 = created[2]!.message.replace('Created pod: ', '');
  assert.deepEqual(onNode('w2'), [daemonW2]);
  until(run, 180);
  assert.equal(controllerName(api.get('Pod', 'default', 'agent-manual')), 'agent');
  // Two daemon pods on w2: the oldest (agent-manual, from the start) stays.
  assert.deepEqual(obs.eventsWith('SuccessfulDelete').map((e) => e.message), [`Deleted pod: ${daemonW2}`]);
  assert.deepEqual(onNode('w2'), ['agent-manual']);
  assert.equal(api.get('DaemonSet', 'default', 'agent')!.status?.currentNumberScheduled, 3);
});

test('DaemonSet: of two pods on a node created within the same second, the lower name stays (podByCreationTimestampAndPhase compares whole seconds)', () => {
  // agent-z (a manifest) is created at 0.01 s and adopted; agent-a, applied at 0.5 s, is created
  // at 0.51 s. Unrounded agent-z is older; for the API both were created at second 0, so the
  // name decides: agent-a stays and agent-z is deleted (hand-computed from upstream's Less).
  const agentA = `apiVersion: v1\nkind: Pod\nmetadata: { name: agent-a, labels: { app: agent } }\nspec: { nodeName: w2, ${CONTAINER} }\n`;
  const { run, obs } = scenario(MANUAL_AGENT.replace('agent-manual', 'agent-z') + daemonSet('OnDelete'), [['500ms', 'kubectl apply -f agent-a.yaml']], { 'agent-a.yaml': agentA });
  const api = run.apiServer;
  until(run, 30);
  const z = api.get('Pod', 'default', 'agent-z');
  const a = api.get('Pod', 'default', 'agent-a')!;
  assert.equal(Math.floor(a.metadata.creationTimestamp!), 0);
  assert.ok(a.metadata.creationTimestamp! > 0.5);
  assert.deepEqual(obs.eventsWith('SuccessfulDelete').map((e) => e.message), ['Deleted pod: agent-z']);
  assert.ok(z === undefined || z.metadata.deletionTimestamp !== undefined, 'agent-z is gone or going');
  assert.equal(controllerName(a), 'agent');
  assert.equal(a.metadata.deletionTimestamp, undefined);
  assert.equal(obs.eventsWith('SuccessfulCreate').length, 2, 'w1 and w3 only');
});

test('DaemonSet (RollingUpdate): the adopted orphan, without the template hash, is an old pod, and not available yet: replaced at once', () => {
  // update.go rollingUpdate: an old pod that is not available is deleted without counting against maxUnavailable.
  const { run, obs } = scenario(MANUAL_AGENT + daemonSet('RollingUpdate'), []);
  until(run, 60);
  const api = run.apiServer;
  assert.equal(api.get('Pod', 'default', 'agent-manual'), undefined);
  assert.deepEqual(obs.eventsWith('SuccessfulDelete').map((e) => e.message), ['Deleted pod: agent-manual']);
  const created = obs.eventsWith('SuccessfulCreate');
  assert.equal(created.length, 3, 'w1 and w3 at once, w2 once agent-manual is gone');
  assert.ok(created[2]!.time > obs.eventsWith('SuccessfulDelete')[0]!.time);
  assert.equal(api.get('DaemonSet', 'default', 'agent')!.status?.numberReady, 3);
});
