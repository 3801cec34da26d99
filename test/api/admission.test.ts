/**
 * API server admission for pods: Priority (plugin/pkg/admission/priority) and
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { admitPod, type PriorityClassLister } from '../../engine/api/admission.js';
import type { Pod, PriorityClass } from '../../engine/api/types.js';
import { runTestScenario } from '../helpers/scenario.js';

function pod(spec: Partial<Pod['spec']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } };
}

function lister(...classes: PriorityClass[]): PriorityClassLister {
  return {
    get: (_kind, _ns, name) => classes.find((c) => c.metadata.name === name),
    list: () => classes,
  };
}

const HIGH: PriorityClass = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 };
const DEFAULT: PriorityClass = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'normal' }, value: 10, globalDefault: true };

test('Priority: the class value becomes spec.priority; the global default applies to pods naming none; system classes exist', () => {
  const named = pod({ priorityClassName: 'high' });
  assert.equal(admitPod(named, lister(HIGH, DEFAULT)), undefined);
  assert.equal(named.spec.priority, 1000);
  assert.equal(named.spec.preemptionPolicy, 'PreemptLowerPriority');
  const unnamed = pod();
  admitPod(unnamed, lister(HIGH, DEFAULT));
  assert.equal(unnamed.spec.priority, 10);
  assert.equal(unnamed.spec.priorityClassName, 'normal');
  const plain = pod();
  admitPod(plain, lister());
  assert.equal(plain.spec.priority, 0);
  const system = pod({ priorityClassName: 'system-node-critical' });
  admitPod(system, lister());
  assert.equal(system.spec.priority, 2000001000);
});

test('Priority: a missing class is refused with the upstream message', () => {
  assert.equal(admitPod(pod({ priorityClassName: 'nope' }), lister()), 'pods "p" is forbidden: no PriorityClass with name nope was found');
});

test('DefaultTolerationSeconds: 300 s for not-ready and unreachable, unless the pod tolerates them already', () => {
  const p = pod({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 }] });
  admitPod(p, lister());
  assert.deepEqual(p.spec.tolerations, [
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 },
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('in a run, a Deployment naming a PriorityClass gets that priority on its pods', () => {
  const cls = `    - apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: { name: web-critical }
      value: 100000
`;
  const { run } = runTestScenario({ duration: '1m', rate: 5, extraManifests: cls }, ['spec.manifests[0].spec.template.spec.priorityClassName=web-critical']);
  const pods = run.apiServer.list('Pod');
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.spec.priority === 100000));
});

test('a pod template naming an undefined PriorityClass is a load-time error at its path', () => {
  assert.throws(
    () => runTestScenario({ duration: '1m' }, ['spec.manifests[0].spec.template.spec.priorityClassName=missing']),
    (e: Error) => /spec\.manifests\[0\]\.spec\.template\.spec\.priorityClassName: expected .*PriorityClass.*found .*missing/.test(e.message),
  );
});
