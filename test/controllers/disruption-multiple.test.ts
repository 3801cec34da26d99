/**
 * Two PodDisruptionBudgets over the same pods, as upstream has it:
 *  - the disruption controller syncs one budget per pod event (disruption.go getPdbForPod: the
 *    first the lister returns, "Chose %q arbitrarily", here the first created), warning with a
 *    MultiplePodDisruptionBudgets Event on the pod; the other budget is synced only on its own
 *    events (its creation, its status writes), so its status stays as it first computed it.
 *    Upstream only an informer resync (kube-controller-manager's --min-resync-period, 12 h to
 *    24 h) would refresh it, which is not modelled;
 *  - the Eviction API refuses such a pod with 500 "This pod has more than one
 *    PodDisruptionBudget, which the eviction subresource does not support."
 *    (pkg/registry/core/pod/storage/eviction.go), and kubectl drain reports it and gives up
 *    that pod (no retry: only a 429 is retried).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isTerminating } from '../../engine/api/pod-lifecycle.js';
import { runTestScenario } from '../helpers/scenario.js';

const BUDGETS = `    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: first }
      spec: { minAvailable: 1, selector: { matchLabels: { app: web } } }
    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: second }
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
`;

test('the controller syncs the first budget on pod events, warns on the pod, and leaves the second as it first computed it', () => {
  const { run, obs } = runTestScenario({ duration: '60s', replicas: 3, rate: 5, extraManifests: BUDGETS });
  const api = run.apiServer;
  const first = api.get('PodDisruptionBudget', 'default', 'first')!.status!;
  const second = api.get('PodDisruptionBudget', 'default', 'second')!.status!;
  assert.deepEqual([first.currentHealthy, first.desiredHealthy, first.expectedPods, first.disruptionsAllowed], [3, 1, 3, 2]);
  // Synced when created, before any pod existed: nothing selected, nothing expected; never again since.
  assert.deepEqual([second.currentHealthy, second.desiredHealthy, second.expectedPods, second.disruptionsAllowed], [0, 0, 0, 0]);
  const warnings = obs.eventsWith('MultiplePodDisruptionBudgets');
  assert.ok(warnings.length > 0);
  for (const w of warnings) {
    assert.equal(w.type, 'Warning');
    assert.equal(w.kind, 'Pod');
    assert.equal(w.message, `Pod "default"/"${w.name}" matches multiple PodDisruptionBudgets.  Chose "first" arbitrarily.`);
  }
  assert.deepEqual([...new Set(warnings.map((w) => w.name))].sort(), api.list('Pod').map((p) => p.metadata.name).sort());
});

test('the second budget is synced again by an event of its own: deleting the first makes pod events reach it', () => {
  const { run } = runTestScenario({
    duration: '90s',
    replicas: 3,
    rate: 5,
    extraManifests: BUDGETS,
    timeline: [
      { at: '40s', run: 'kubectl delete pdb first' },
      { at: '50s', run: 'kubectl scale deployment web --replicas=4' },
    ],
  });
  const second = run.apiServer.get('PodDisruptionBudget', 'default', 'second')!.status!;
  // 4 replicas, maxUnavailable 1: desired 3, and the fourth pod is Ready by 90 s.
  assert.deepEqual([second.currentHealthy, second.desiredHealthy, second.expectedPods, second.disruptionsAllowed], [4, 3, 4, 1]);
});

test('eviction of a pod two budgets select answers 500, which kubectl drain reports without retrying; the pods stay', () => {
  const { run, obs } = runTestScenario({
    duration: '90s',
    replicas: 3,
    workers: 1,
    rate: 5,
    extraManifests: BUDGETS,
    timeline: [{ at: '40s', run: 'kubectl drain w1 --ignore-daemonsets' }],
  });
  const out = obs.events.filter((e) => e.reason.startsWith('Kubectl')).map((e) => e.message.replace(/^kubectl drain [^:]*: /, ''));
  const pods = run.apiServer.list('Pod').map((p) => p.metadata.name).sort();
  assert.equal(pods.length, 3);
  const errors = pods.map((n) => `error when evicting pods/"${n}" -n "default": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.`);
  for (const e of errors) assert.ok(out.some((l) => l.includes(e)), e);
  assert.equal(out.filter((l) => l.startsWith('evicting pod ')).length, 3, 'one attempt each: a 500 is not retried');
  assert.equal(out[out.length - 1]!.startsWith('error: '), true);
  assert.ok(run.apiServer.list('Pod').every((p) => !isTerminating(p)));
});
