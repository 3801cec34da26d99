/**
 * Controllers record SuccessfulCreate / SuccessfulDelete when the API server answers, not when
 * they send the request (pkg/controller/controller_utils.go RealPodControl.createPods and
 * DeletePod; statefulset/stateful_pod_control.go CreateStatefulPod, createPersistentVolumeClaims
 * and DeleteStatefulPod, which call recordPodEvent / recordClaimEvent after the call returned),
 * and FailedCreate with the API's refusal (checked on pod-control.ts directly: a scenario cannot make a
 * controller's create fail, its manifests being checked at load time). The answer comes when the write commits: the
 * instant the store stamps a created object's creationTimestamp, and a deleted pod's
 * deletionTimestamp (commit time + grace period). Each event is checked against those stamps.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createContext, type ClusterContext } from '../../engine/api/context.js';
import { ApiServer } from '../../engine/api/store.js';
import type { ObjectMeta, Pod } from '../../engine/api/types.js';
import { createPod, deleteOwnedPod } from '../../engine/controllers/pod-control.js';
import { Simulation } from '../../engine/core/simulation.js';
import type { ClusterEvent } from '../../engine/metrics/observer.js';
import { ScenarioRun } from '../../engine/run.js';
import { DEFAULTS } from '../../engine/scenario/defaults.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { testScenarioYaml } from '../helpers/scenario.js';

const CONTAINER = '{ name: c, image: "nginx:1.27", resources: { requests: { cpu: 50m } } }';

const EXTRA = `    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        selector: { matchLabels: { app: agent } }
        template: { metadata: { labels: { app: agent } }, spec: { containers: [${CONTAINER}] } }
    - apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: db }
      spec:
        serviceName: db
        replicas: 2
        podManagementPolicy: Parallel
        selector: { matchLabels: { app: db } }
        template: { metadata: { labels: { app: db } }, spec: { containers: [${CONTAINER}] } }
    - apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: store }
      spec:
        serviceName: store
        replicas: 1
        selector: { matchLabels: { app: store } }
        template: { metadata: { labels: { app: store } }, spec: { containers: [${CONTAINER}] } }
        volumeClaimTemplates:
          - metadata: { name: www }
            spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;

/** Runs the scenario, keeping the metadata of every pod as the watch last showed it. */
function run(timeline: { at: string; run: string }[], extraManifests = EXTRA): { obs: MemoryObserver; pods: Map<string, ObjectMeta>; scenarioRun: ScenarioRun } {
  const obs = new MemoryObserver();
  const scenarioRun = new ScenarioRun(loadScenarioText(testScenarioYaml({ duration: '90s', rate: 1, timeline, extraManifests }), 'test.yaml').scenario, obs);
  const pods = new Map<string, ObjectMeta>();
  scenarioRun.apiServer.watch('Pod', (_type, pod) => pods.set(pod.metadata.name, { ...pod.metadata }));
  scenarioRun.finish();
  return { obs, pods, scenarioRun };
}

const named = (e: ClusterEvent, prefix: RegExp) => e.message.replace(prefix, '').split(' ')[0]!;
/** When the delete was written: deletePod stamps deletionTimestamp = commit time + grace. */
const deletedAt = (meta: ObjectMeta) => meta.deletionTimestamp! - (meta.deletionGracePeriodSeconds as number);
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

test('ReplicaSet and DaemonSet: SuccessfulCreate at the instant the pod is created, SuccessfulDelete at the instant its deletion is written', () => {
  const { obs, pods } = run([{ at: '40s', run: 'kubectl scale deployment web --replicas=1' }]);
  const created = obs.eventsWith('SuccessfulCreate').filter((e) => e.kind === 'ReplicaSet' || e.kind === 'DaemonSet');
  assert.equal(created.length, 3 + 3, 'web: 3 pods; agent: one per worker (the control-plane taint is not tolerated)');
  for (const e of created) {
    const meta = pods.get(named(e, /^Created pod: /))!;
    assert.equal(e.time, meta.creationTimestamp, `${e.message} at the create's answer`);
  }
  const deleted = obs.eventsWith('SuccessfulDelete').filter((e) => e.kind === 'ReplicaSet');
  assert.equal(deleted.length, 2);
  for (const e of deleted) {
    const meta = pods.get(named(e, /^Deleted pod: /))!;
    near(e.time, deletedAt(meta), `${e.message} at the delete's answer`);
    assert.ok(e.time > 40, 'after the scale');
  }
});

test('StatefulSet: pod and claim events at the create\'s answer, the delete event at the delete\'s answer', () => {
  const { obs, pods, scenarioRun } = run([{ at: '40s', run: 'kubectl scale statefulset db --replicas=1' }]);
  const created = obs.eventsWith('SuccessfulCreate').filter((e) => e.kind === 'StatefulSet');
  const podEvents = created.filter((e) => e.message.startsWith('create Pod '));
  assert.deepEqual(podEvents.map((e) => e.message).sort(), [
    'create Pod db-0 in StatefulSet db successful',
    'create Pod db-1 in StatefulSet db successful',
    'create Pod store-0 in StatefulSet store successful',
  ]);
  for (const e of podEvents) assert.equal(e.time, pods.get(named(e, /^create Pod /))!.creationTimestamp, e.message);
  const claimEvents = created.filter((e) => e.message.startsWith('create Claim '));
  assert.deepEqual(claimEvents.map((e) => e.message), ['create Claim www-store-0 Pod store-0 in StatefulSet store success']);
  const claim = scenarioRun.apiServer.get('PersistentVolumeClaim', 'default', 'www-store-0')!;
  assert.equal(claimEvents[0]!.time, claim.metadata.creationTimestamp);
  // The claim is created before its pod, in the same sync: its answer comes first.
  assert.ok(claimEvents[0]!.time <= pods.get('store-0')!.creationTimestamp!);
  const deleted = obs.eventsWith('SuccessfulDelete').filter((e) => e.kind === 'StatefulSet');
  assert.deepEqual(deleted.map((e) => e.message), ['delete Pod db-1 in StatefulSet db successful']);
  const db1 = pods.get('db-1')!;
  near(deleted[0]!.time, deletedAt(db1), deleted[0]!.message);
});

function context(): { sim: Simulation; ctx: ClusterContext; obs: MemoryObserver } {
  const sim = new Simulation(1);
  const obs = new MemoryObserver();
  return { sim, obs, ctx: createContext(sim, new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005 }), obs, DEFAULTS) };
}

const OWNER = { kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default' } };

function pod(spec: Partial<Pod['spec']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', generateName: 'web-1-', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec }, status: { phase: 'Pending' } };
}

const recorded = (obs: MemoryObserver) => obs.events.map((e) => [e.time, e.type, e.reason, e.message]);

test('RealPodControl: nothing is recorded when the request leaves; SuccessfulCreate / SuccessfulDelete when the API server answers', () => {
  const { sim, ctx, obs } = context();
  const failures: string[] = [];
  const name = createPod(ctx, OWNER, pod(), (r) => failures.push(r));
  assert.deepEqual(recorded(obs), [], 'sent, not answered');
  sim.run({ until: 0.01 });
  assert.deepEqual(recorded(obs), [[0.01, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`]]);
  deleteOwnedPod(ctx, OWNER, ctx.api.get('Pod', 'default', name)!, (r) => failures.push(r));
  assert.equal(obs.events.length, 1);
  sim.run();
  // Never bound, so the API server removes it at once (pod-lifecycle.ts deletePod).
  assert.deepEqual(recorded(obs).slice(1), [[0.02, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`]]);
  assert.deepEqual(failures, []);
});

test('RealPodControl: a refused create records FailedCreate with the API\'s message; a delete of a pod already gone records nothing', () => {
  const { sim, ctx, obs } = context();
  const failures: string[] = [];
  const name = createPod(ctx, OWNER, pod({ priorityClassName: 'gold' }), (r) => failures.push(r));
  sim.run();
  assert.deepEqual(recorded(obs), [[0.01, 'Warning', 'FailedCreate', `Error creating: pods "${name}" is forbidden: no PriorityClass with name gold was found`]]);
  assert.deepEqual(failures, ['Forbidden']);
  const gone = { ...pod(), metadata: { name: 'web-1-gone', namespace: 'default' } };
  deleteOwnedPod(ctx, OWNER, gone, (r) => failures.push(r));
  sim.run();
  assert.equal(obs.events.length, 1, 'NotFound: no event (DeletePod returns it to the caller)');
  assert.deepEqual(failures, ['Forbidden', 'NotFound']);
});
