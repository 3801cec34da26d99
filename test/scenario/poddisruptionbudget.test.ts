/** PodDisruptionBudget manifests, against pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { testScenarioYaml } from '../helpers/scenario.js';

const load = (spec: string) =>
  loadScenarioText(
    testScenarioYaml({
      extraManifests: `    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: web }
      spec: ${spec}
`,
    }),
    'test.yaml',
  ).scenario;

test('a valid budget loads with its fields as written', () => {
  const pdb = load('{ maxUnavailable: "25%", selector: { matchLabels: { app: web } }, unhealthyPodEvictionPolicy: AlwaysAllow }').manifests.find((m) => m.kind === 'PodDisruptionBudget')!;
  assert.deepEqual(pdb.spec, { maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
});

test('minAvailable and maxUnavailable together are refused, naming the path', () => {
  assert.throws(() => load('{ minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: web } } }'), (e: Error) => {
    assert.match(e.message, /spec\.manifests\[2\]\.spec.*minAvailable and maxUnavailable cannot be both set/);
    return true;
  });
});

test('a percentage above 100%, a negative count and an unknown policy are refused', () => {
  assert.throws(() => load('{ minAvailable: "150%" }'), /spec\.manifests\[2\]\.spec\.minAvailable.*must not be greater than 100%/);
  assert.throws(() => load('{ maxUnavailable: -1 }'), /spec\.manifests\[2\]\.spec\.maxUnavailable/);
  assert.throws(() => load('{ minAvailable: 1, unhealthyPodEvictionPolicy: Sometimes }'), /spec\.manifests\[2\]\.spec\.unhealthyPodEvictionPolicy/);
});
