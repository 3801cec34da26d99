/**
 * Node labels as a kubeadm cluster has them: the kubelet's on every node, kubeadm's
 * mark-control-plane labels on control-plane nodes (markcontrolplane.go labelsToAdd), the
 * user's over them, and a null that removes one of kubeadm's as `kubectl label node NAME KEY-`.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isUserError, type ScenarioError } from '../../engine/scenario/errors.js';
import { KUBEADM_CONTROL_PLANE_LABELS } from '../../engine/scenario/cluster.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { testScenarioYaml } from '../helpers/scenario.js';

const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';
const ROLE = 'node-role.kubernetes.io/control-plane';

/** The test cluster (cp, control plane; w1-w3, workers) with `spec.cluster.nodes[i].labels` set. */
function nodes(labels: { cp?: string; workers?: string } = {}) {
  const overrides = [
    ...(labels.cp ? [`spec.cluster.nodes[0].labels=${labels.cp}`] : []),
    ...(labels.workers ? [`spec.cluster.nodes[1].labels=${labels.workers}`] : []),
  ];
  return loadScenarioText(testScenarioYaml(), 'test.yaml', { overrides }).scenario.cluster.nodes;
}

function errorOf(yaml: string): ScenarioError {
  try {
    loadScenarioText(yaml, 'test.yaml');
  } catch (e) {
    assert.ok(isUserError(e), `expected a ScenarioError, got ${(e as Error).stack}`);
    return e;
  }
  assert.fail('expected a ScenarioError');
}

test("kubeadm's labels: both, empty, in the order of labelsToAdd", () => {
  assert.deepEqual(KUBEADM_CONTROL_PLANE_LABELS, [ROLE, EXCLUDE]);
});

test('control-plane nodes carry the role and exclude-from-external-load-balancers labels; workers neither', () => {
  const [cp, ...workers] = nodes();
  assert.deepEqual(cp!.labels, { 'kubernetes.io/hostname': 'cp', 'kubernetes.io/os': 'linux', [ROLE]: '', [EXCLUDE]: '' });
  assert.equal(workers.length, 3);
  for (const w of workers) assert.deepEqual(w.labels, { 'kubernetes.io/hostname': w.name, 'kubernetes.io/os': 'linux' }, w.name);
});

test("the user's values win over kubeadm's; a worker can carry the label too", () => {
  const [cp, w1] = nodes({ cp: `{"${EXCLUDE}": "false"}`, workers: `{"${EXCLUDE}": "true", tier: web}` });
  assert.equal(cp!.labels[EXCLUDE], 'false');
  assert.equal(cp!.labels[ROLE], '');
  assert.equal(w1!.labels[EXCLUDE], 'true');
  assert.equal(w1!.labels.tier, 'web');
});

test('null removes a label kubeadm adds, as an operator does with kubectl label node cp KEY-', () => {
  const [cp] = nodes({ cp: `{"${EXCLUDE}": null}` });
  assert.deepEqual(cp!.labels, { 'kubernetes.io/hostname': 'cp', 'kubernetes.io/os': 'linux', [ROLE]: '' });
  const [bare] = nodes({ cp: `{"${EXCLUDE}": null, "${ROLE}": null}` });
  assert.deepEqual(bare!.labels, { 'kubernetes.io/hostname': 'cp', 'kubernetes.io/os': 'linux' });
});

test('null anywhere else is an error at its path: a worker has no kubeadm label, the kubelet re-adds its own', () => {
  // `KEY:` with nothing after it is null in YAML: on a worker it is most likely a mistaken "".
  const onWorker = errorOf(testScenarioYaml().replace('namePattern: "w{i}",', `namePattern: "w{i}", labels: { ${EXCLUDE}: },`));
  assert.equal(onWorker.path, `spec.cluster.nodes[1].labels["${EXCLUDE}"]`);
  assert.match(onWorker.message, /a label value \("" for an empty one\); null removes only a label kubeadm adds to a control-plane node/);
  assert.match(onWorker.message, /found null/);
  const hostname = errorOf(testScenarioYaml().replace('role: control-plane,', 'role: control-plane, labels: { kubernetes.io/hostname: null },'));
  assert.equal(hostname.path, 'spec.cluster.nodes[0].labels["kubernetes.io/hostname"]');
  assert.match(hostname.message, new RegExp(`null removes only a label kubeadm adds \\(${ROLE}, ${EXCLUDE}\\)`));
});

test('a label value is still checked: null or a valid value, nothing else', () => {
  const bad = errorOf(testScenarioYaml().replace('role: control-plane,', 'role: control-plane, labels: { tier: "not valid!" },'));
  assert.equal(bad.path, 'spec.cluster.nodes[0].labels.tier');
  assert.match(bad.message, /a label value/);
});
