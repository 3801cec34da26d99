/**
 * `kubectl get --sort-by` (staging/src/k8s.io/kubectl/pkg/cmd/get/sorter.go): the relaxed
 * JSONPath, natural string order (github.com/fvbommel/sortorder), quantities, times, and the
 * errors, against hand-computed examples and running clusters.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { KubectlSyntaxError, parseKubectl } from '../../engine/kubectl/index.js';
import { naturalLess, parseSortField, sortByField, valueAt } from '../../engine/kubectl/sort-by.js';
import { ScenarioError } from '../../engine/scenario/errors.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { runTestScenario, testScenarioYaml } from '../helpers/scenario.js';

test('RelaxedJSONPathExpression: .a.b, a.b, {a.b} and {.a.b} are all {.a.b}; index and quoted-key steps', () => {
  for (const t of ['.metadata.name', 'metadata.name', '{metadata.name}', '{.metadata.name}']) {
    assert.deepEqual(parseSortField(t), { expression: '{.metadata.name}', steps: ['metadata', 'name'] });
  }
  assert.deepEqual(parseSortField('.status.containerStatuses[0].restartCount').steps, ['status', 'containerStatuses', 0, 'restartCount']);
  assert.deepEqual(parseSortField(".metadata.labels['app.kubernetes.io/name']").steps, ['metadata', 'labels', 'app.kubernetes.io/name']);
  assert.throws(() => parseSortField('{.a'), (e: unknown) => e instanceof KubectlSyntaxError && e.found.includes("unexpected path string, expected a 'name1.name2'"));
  assert.throws(() => parseSortField('.items[*].name'), KubectlSyntaxError);
  assert.throws(() => parseSortField('.spec..name'), KubectlSyntaxError);
  assert.equal(valueAt({ a: [{ b: 1 }] }, ['a', 0, 'b']), 1);
  assert.equal(valueAt({ a: [] }, ['a', 0, 'b']), undefined);
  assert.equal(valueAt({ a: { b: 1 } }, ['a', 0]), undefined);
});

test('sortorder.NaturalLess: digit runs by value, fewer leading zeros first, digits before other characters', () => {
  const sorted = ['web-10', 'web-9', 'web-09', 'web-1', 'web', 'web-a', '10.244.1.10', '10.244.1.9', '10.244.10.1'].sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
  assert.deepEqual(sorted, ['10.244.1.9', '10.244.1.10', '10.244.10.1', 'web', 'web-1', 'web-9', 'web-09', 'web-10', 'web-a']);
  assert.equal(naturalLess('a1', 'a1'), false);
  assert.equal(naturalLess('a', 'a1'), true);
  assert.equal(naturalLess('1a', 'a'), true, 'a digit before a letter');
});

test('isLess: quantities when both strings are quantities, numbers by value, missing first; a field nobody has is the error', () => {
  const items = [{ v: '1' }, { v: '250m' }, {}, { v: '100m' }, { v: '1Gi' }];
  const f = parseSortField('.v');
  assert.deepEqual(sortByField(items, (x) => x, f, true), [{}, { v: '100m' }, { v: '250m' }, { v: '1' }, { v: '1Gi' }]);
  assert.deepEqual(sortByField([{ n: 10 }, { n: 9 }, { n: 10.5 }], (x) => x, parseSortField('.n'), true), [{ n: 9 }, { n: 10 }, { n: 10.5 }]);
  // A string that is not a quantity on either side: natural order (RFC 3339 times sort in time order).
  assert.deepEqual(
    sortByField(['1970-01-01T00:01:40Z', '1970-01-01T00:00:05Z', '1970-01-01T00:00:40Z'].map((t) => ({ t })), (x) => x, parseSortField('.t'), true).map((x) => x.t),
    ['1970-01-01T00:00:05Z', '1970-01-01T00:00:40Z', '1970-01-01T00:01:40Z'],
  );
  assert.throws(() => sortByField([{ a: 1 }, { a: 2 }], (x) => x, parseSortField('.b'), true), /^Error: couldn't find any field with path "\{\.b\}" in the list of objects$/);
  assert.deepEqual(sortByField([{ a: 1 }], (x) => x, parseSortField('.b'), false), [{ a: 1 }]);
  assert.throws(() => sortByField([{ a: true }, { a: false }], (x) => x, parseSortField('.a'), true), /unsortable type/);
});

const REQUESTS = ['1', '250m', '100m'].map(
  (cpu, i) => `    - { apiVersion: v1, kind: Pod, metadata: { name: p${i}, labels: { app: bare } }, spec: { containers: [{ name: c, image: "nginx:1.27", resources: { requests: { cpu: "${cpu}" } } }] } }\n`,
).join('');

test('in a run: pods by creation time, by CPU request (a quantity), events by lastTimestamp; a bad field prints kubectl\'s error alone', () => {
  const { obs } = runTestScenario({
    duration: '90s',
    replicas: 2,
    rate: 5,
    extraManifests: REQUESTS,
    timeline: [
      { at: '40s', run: 'kubectl delete pod p0' },
      { at: '45s', run: 'kubectl run late --image=nginx:1.27' },
      { at: '60s', run: 'kubectl get pods --sort-by=.metadata.creationTimestamp' },
      { at: '60s', run: 'kubectl get pods -l app=bare --sort-by=.spec.containers[0].resources.requests.cpu' },
      { at: '60s', run: 'kubectl get events --sort-by=.lastTimestamp -o json' },
      { at: '60s', run: 'kubectl get events --sort-by=.lastTimestamp' },
      { at: '60s', run: 'kubectl get pods --sort-by=.metadata.nope' },
      { at: '60s', run: 'kubectl get pods -l run=late --sort-by=.metadata.nope' },
    ],
  });
  const snap = (cmd: string) => obs.snapshots.find((s) => s.command === cmd)!.text;
  const names = (text: string) => text.split('\n').slice(1).map((l) => l.split(/ +/)[0]);
  // p1 and p2 (manifests) and the Deployment's two pods all date from second 0 (equal keys keep name order); late from 45 s.
  const byCreation = names(snap('kubectl get pods --sort-by=.metadata.creationTimestamp'));
  assert.deepEqual(byCreation.slice(0, 2), ['p1', 'p2']);
  assert.equal(byCreation[byCreation.length - 1], 'late');
  assert.equal(byCreation.length, 5);
  // p0 (1 CPU) is gone; 100m before 250m as quantities (as strings "250m" < "100m" would not hold either way).
  assert.deepEqual(names(snap('kubectl get pods -l app=bare --sort-by=.spec.containers[0].resources.requests.cpu')), ['p2', 'p1']);
  const events = JSON.parse(snap('kubectl get events --sort-by=.lastTimestamp -o json')).items as { lastTimestamp: string; reason: string }[];
  assert.ok(events.length > 5);
  for (let i = 1; i < events.length; i++) assert.ok(events[i - 1]!.lastTimestamp <= events[i]!.lastTimestamp, `event ${i} in time order`);
  const table = snap('kubectl get events --sort-by=.lastTimestamp').split('\n');
  assert.equal(table.length, events.length + 1);
  assert.deepEqual(table.slice(1).map((l) => l.split(/ +/)[2]), events.map((e) => e.reason));
  assert.equal(snap('kubectl get pods --sort-by=.metadata.nope'), 'error: couldn\'t find any field with path "{.metadata.nope}" in the list of objects');
  assert.ok(obs.events.some((e) => e.reason === 'KubectlError' && e.message.endsWith('error: couldn\'t find any field with path "{.metadata.nope}" in the list of objects')));
  // A table of one row is not sorted, so the field is not looked for.
  assert.match(snap('kubectl get pods -l run=late --sort-by=.metadata.nope'), /^NAME +READY +STATUS +RESTARTS +AGE\nlate +1\/1 +Running/);
});

test('a --sort-by kubectl refuses, or a JSONPath kubesim does not evaluate, is a load-time error at the timeline entry', () => {
  assert.deepEqual((parseKubectl('kubectl get pods --sort-by=.metadata.name') as { sortBy: unknown }).sortBy, { expression: '{.metadata.name}', steps: ['metadata', 'name'] });
  assert.equal((parseKubectl('kubectl get pods --sort-by=') as { sortBy?: unknown }).sortBy, undefined);
  for (const bad of ['{.a', '.items[?(@.x)]']) {
    assert.throws(
      () => loadScenarioText(testScenarioYaml({ timeline: [{ at: '10s', run: `kubectl get pods --sort-by=${bad}` }] }), 'test.yaml'),
      (e: unknown) => e instanceof ScenarioError && e.path === 'spec.timeline[0].run',
    );
  }
});
