/**
 * kubectl annotate against staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate_test.go: the
 * cases of TestParseAnnotations, TestValidateAnnotations, TestValidateAnnotationOverwrites,
 * TestUpdateAnnotations and TestAnnotateErrors are transcribed (inputs and expectations as
 * upstream has them); TestAnnotateObject and TestAnnotateResourceVersion are replayed as
 * timelines, on every kind kubesim serves. Bad commands are refused at load time.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseAnnotations, validateAnnotations, validateNoAnnotationOverwrites } from '../../engine/kubectl/annotate-func.js';
import { KubectlSyntaxError, parseKubectl, type AnnotateCommand } from '../../engine/kubectl/index.js';
import { applyMapChanges } from '../../engine/kubectl/metadata-map.js';
import { ScenarioError } from '../../engine/scenario/errors.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { kubectlOutput, runTestScenario, testScenarioYaml } from '../helpers/scenario.js';

function refused(line: string, found: RegExp): void {
  assert.throws(
    () => parseKubectl(line),
    (e: unknown) => e instanceof KubectlSyntaxError && found.test(e.found),
    line,
  );
}

test('TestParseAnnotations', () => {
  const testURL = 'https://test.com/index.htm?id=123#u=user-name';
  const testJSON = `'{"kind":"SerializedReference","apiVersion":"v1","reference":{"kind":"ReplicationController","namespace":"default","name":"my-nginx","uid":"c544ee78-2665-11e5-8051-42010af0c213","apiVersion":"v1","resourceVersion":"61368"}}'`;
  const cases: { annotations: string[]; expected?: Record<string, string>; remove?: string[]; err?: string }[] = [
    { annotations: ['a=b', 'c=d'], expected: { a: 'b', c: 'd' }, remove: [] },
    { annotations: [`url=${testURL}`, `fake.kubernetes.io/annotation=${testJSON}`], expected: { url: testURL, 'fake.kubernetes.io/annotation': testJSON }, remove: [] },
    { annotations: [], expected: {}, remove: [] },
    { annotations: ['a=b', 'c=d', 'e-'], expected: { a: 'b', c: 'd' }, remove: ['e'] },
    { annotations: ['ab', 'c=d'], err: 'invalid annotation format: ab' },
    { annotations: ['a='], expected: { a: '' }, remove: [] },
    { annotations: ['ab', 'a='], err: 'invalid annotation format: ab' },
    { annotations: ['-'], err: 'invalid annotation format: -' },
    { annotations: ['=bar'], err: 'invalid annotation format: =bar' },
  ];
  for (const c of cases) {
    const r = parseAnnotations(c.annotations);
    if (c.err !== undefined) {
      assert.deepEqual(r, { error: c.err }, c.annotations.join(' '));
      continue;
    }
    assert.ok(!('error' in r));
    assert.deepEqual(Object.fromEntries(r.set), c.expected);
    assert.deepEqual(r.remove, c.remove);
  }
  // ParsePairs lists every bad one; a repeated key keeps the last value.
  assert.deepEqual(parseAnnotations(['ab', 'a=1', 'cd']), { error: 'invalid annotation format: ab, cd' });
  const repeated = parseAnnotations(['a=1', 'b=2', 'a=3']);
  assert.ok(!('error' in repeated));
  assert.deepEqual([...repeated.set], [['a', '3'], ['b', '2']]);
});

test('TestValidateAnnotations', () => {
  assert.equal(validateAnnotations(['a'], new Map([['a', 'b'], ['c', 'd']])), 'can not both modify and remove the following annotation(s) in the same command: a');
  assert.equal(validateAnnotations(['a', 'c'], new Map([['a', 'b'], ['c', 'd']])), 'can not both modify and remove the following annotation(s) in the same command: a, c');
  assert.equal(validateAnnotations(['e'], new Map([['a', 'b']])), undefined);
});

test('TestValidateAnnotationOverwrites and TestUpdateAnnotations', () => {
  // TestValidateAnnotationOverwrites.
  assert.ok(validateNoAnnotationOverwrites({ a: 'A', b: 'B' }, new Map([['a', 'a'], ['c', 'C']])), 'share first annotation');
  assert.ok(validateNoAnnotationOverwrites({ a: 'A', c: 'C' }, new Map([['b', 'B'], ['c', 'c']])), 'share second annotation');
  assert.equal(validateNoAnnotationOverwrites({ a: 'A', c: 'C' }, new Map([['b', 'B'], ['d', 'D']])), undefined, 'no overlap');
  assert.equal(validateNoAnnotationOverwrites(undefined, new Map([['a', 'A'], ['b', 'B']])), undefined, 'no annotations');
  // TestUpdateAnnotations: (existing, set, remove, overwrite) -> annotations or the error.
  const cases: { obj?: Record<string, string>; set: Record<string, string>; remove?: string[]; overwrite?: boolean; expected?: Record<string, string>; err?: string }[] = [
    { obj: { a: 'b' }, set: { a: 'b' }, expected: { a: 'b' } },
    { obj: { a: 'b' }, set: { a: 'c' }, err: "--overwrite is false but found the following declared annotation(s): 'a' already has a value (b)" },
    { obj: { a: 'b' }, set: { a: 'c' }, overwrite: true, expected: { a: 'c' } },
    { obj: { a: 'b' }, set: { c: 'd' }, expected: { a: 'b', c: 'd' } },
    { obj: { a: 'b' }, set: {}, remove: ['a'], expected: {} },
    { obj: { a: 'b', c: 'd' }, set: { e: 'f' }, remove: ['a'], expected: { c: 'd', e: 'f' } },
    { obj: { a: 'b', c: 'd' }, set: { e: 'f' }, remove: ['g'], expected: { a: 'b', c: 'd', e: 'f' } },
    { obj: { a: 'b', c: 'd' }, set: {}, remove: ['e'], expected: { a: 'b', c: 'd' } },
    { obj: undefined, set: { a: 'b' }, expected: { a: 'b' } },
  ];
  for (const c of cases) {
    const set = new Map(Object.entries(c.set));
    const refusal = c.overwrite ? undefined : validateNoAnnotationOverwrites(c.obj, set);
    if (c.err !== undefined) {
      assert.equal(refusal, c.err);
      continue;
    }
    assert.equal(refusal, undefined, JSON.stringify(c));
    assert.deepEqual(applyMapChanges(c.obj, set, c.remove ?? []), c.expected, JSON.stringify(c));
  }
  // Several clashes are joined with "; "; the change-cause annotation may always be overwritten.
  assert.equal(
    validateNoAnnotationOverwrites({ a: 'b', c: 'd' }, new Map([['a', 'x'], ['c', 'y']])),
    "--overwrite is false but found the following declared annotation(s): 'a' already has a value (b); 'c' already has a value (d)",
  );
  assert.equal(validateNoAnnotationOverwrites({ 'kubernetes.io/change-cause': 'v1' }, new Map([['kubernetes.io/change-cause', 'v2']])), undefined);
});

test('TestAnnotateErrors: refused before anything is sent, with kubectl\'s words', () => {
  refused('kubectl annotate', /one or more resources must be specified/);
  refused('kubectl annotate pods', /at least one annotation update is required/);
  refused('kubectl annotate pods -', /at least one annotation update is required/);
  refused('kubectl annotate pods =bar', /at least one annotation update is required/);
  refused('kubectl annotate pods-', /one or more resources must be specified/);
  refused('kubectl annotate pods=bar', /one or more resources must be specified/);
  // And the other checks of ToOptions, the Builder and RunAnnotate.
  refused('kubectl annotate node w1 a=b w2', /all resources must be specified before annotation changes: w2/);
  refused('kubectl annotate pods --all -l app=web a=b', /cannot set --all and --selector at the same time/);
  refused('kubectl annotate pod foo a=b a-', /can not both modify and remove the following annotation\(s\) in the same command: a/);
  refused('kubectl annotate pods a=b', /resource\(s\) were provided, but no name was specified/);
  refused('kubectl annotate events foo a=b', /resource "events"/);
  refused('kubectl annotate pods -l app=web a=b --resource-version=5', /--resource-version may only be used with a single resource/);
  refused('kubectl annotate pod foo bar a=b --resource-version=5', /--resource-version may only be used with a single resource/);
  // The key is the API server's to check (ValidateAnnotations, on the lower-cased key).
  refused('kubectl annotate pod foo bad^key=v', /metadata\.annotations: Invalid value: "bad\^key": name part must consist of alphanumeric characters/);
  refused('kubectl annotate pod foo a=b --overwrite=maybe', /"maybe"/);
});

test('parse: every kind, TYPE/NAME, -l, --all, -A, --resource-version; an upper-case key is fine', () => {
  const c = parseKubectl("kubectl annotate deployment web 'description=my frontend' note- --overwrite") as AnnotateCommand;
  assert.deepEqual(c.selection, { by: 'names', objects: [{ resource: 'deployment', name: 'web' }] });
  assert.deepEqual(c.set, [['description', 'my frontend']]);
  assert.deepEqual(c.remove, ['note']);
  assert.equal(c.overwrite, true);
  assert.equal(c.resourceVersion, undefined);
  for (const type of ['hpa', 'pdb', 'ing', 'svc', 'sts', 'ds', 'rs', 'pvc', 'pv', 'no', 'po', 'endpointslices']) {
    assert.equal((parseKubectl(`kubectl annotate ${type} x a=b`) as AnnotateCommand).selection.by, 'names', type);
  }
  const sel = parseKubectl('kubectl annotate pods -l app=web -A Example.com/Owner=team') as AnnotateCommand;
  assert.deepEqual(sel.selection, { by: 'selector', resource: 'pod', selector: { app: 'web' } });
  assert.equal(sel.allNamespaces, true);
  assert.equal((parseKubectl('kubectl annotate pods/foo a=b --resource-version=12') as AnnotateCommand).resourceVersion, '12');
});

const FOO = `    - apiVersion: v1
      kind: Pod
      metadata: { name: foo, annotations: { existing: abc } }
      spec:
        containers: [{ name: c, image: busybox:1.36 }]
`;

test('as a timeline: annotated, refused without --overwrite, the same value and a missing key are fine, not found', () => {
  const timeline = [
    { at: '10s', run: 'kubectl annotate pods/foo existing=bar' },
    { at: '11s', run: "kubectl annotate pods/foo a=b 'url=https://test.com/index.htm?id=123#u=user-name'" },
    { at: '12s', run: 'kubectl annotate pods/foo existing=abc' },
    { at: '13s', run: 'kubectl annotate pods/foo existing=bar --overwrite' },
    { at: '14s', run: 'kubectl annotate pod foo existing- nothing-' },
    { at: '15s', run: 'kubectl annotate pod nosuch a=b' },
  ];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, extraManifests: FOO, timeline });
  assert.deepEqual(kubectlOutput(obs, 'annotate'), [
    "error: --overwrite is false but found the following declared annotation(s): 'existing' already has a value (abc)",
    'pod/foo annotated',
    'pod/foo annotated',
    'pod/foo annotated',
    'pod/foo annotated',
    'Error from server (NotFound): pods "nosuch" not found',
  ]);
  assert.deepEqual(obs.eventsWith('KubectlError').map((e) => e.time), [10, 15]);
  assert.deepEqual(run.apiServer.get('Pod', 'default', 'foo')!.metadata.annotations, { a: 'b', url: 'https://test.com/index.htm?id=123#u=user-name' });
});

test('annotate by selector and on several kinds: each object prints TYPE/NAME annotated, in the order the API server lists them', () => {
  const hpa = { minReplicas: 2, maxReplicas: 4 };
  const timeline = [
    { at: '10s', run: 'kubectl annotate pods -l app=web owner=shop' },
    { at: '11s', run: 'kubectl annotate deployment/web svc/web hpa/web owner=shop' },
    { at: '12s', run: 'kubectl annotate nodes --all rack=r1' },
    { at: '13s', run: 'kubectl annotate rs --all owner=shop' },
  ];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, timeline, hpa });
  const api = run.apiServer;
  const pods = api.list('Pod').map((p) => p.metadata.name).sort();
  const replicaSets = api.list('ReplicaSet').map((r) => r.metadata.name).sort();
  assert.deepEqual(kubectlOutput(obs, 'annotate'), [
    ...pods.map((p) => `pod/${p} annotated`),
    'deployment.apps/web annotated',
    'service/web annotated',
    'horizontalpodautoscaler.autoscaling/web annotated',
    'node/cp annotated',
    'node/w1 annotated',
    'node/w2 annotated',
    'node/w3 annotated',
    ...replicaSets.map((r) => `replicaset.apps/${r} annotated`),
  ]);
  for (const p of api.list('Pod')) assert.equal(p.metadata.annotations?.owner, 'shop');
  assert.equal(api.get('HorizontalPodAutoscaler', 'default', 'web')!.metadata.annotations?.owner, 'shop');
  assert.equal(api.get('Node', undefined, 'w2')!.metadata.annotations?.rack, 'r1');
  // An annotation is no change of the desired state: the Deployment keeps its generation.
  assert.equal(api.get('Deployment', 'default', 'web')!.metadata.generation, 1);
});

test('TestAnnotateResourceVersion, as a timeline: the version read applies; a stale one is a Conflict and changes nothing', () => {
  // The pod's resourceVersion at 15s, read from a run stopped there; the same scenario and seed
  // run the same way up to 15s, so in the run with the commands foo has that version then.
  const probe = new ScenarioRun(loadScenarioText(testScenarioYaml({ duration: '30s', rate: 1, extraManifests: FOO }), 'test.yaml').scenario, new MemoryObserver());
  while (probe.now < 14.9 && !probe.done) probe.advance();
  const version = probe.apiServer.get('Pod', 'default', 'foo')!.metadata.resourceVersion!;
  const timeline = [
    { at: '15s', run: `kubectl annotate pod foo a=b --resource-version=${version}` },
    { at: '16s', run: `kubectl annotate pod foo c=d --resource-version=${version}` },
  ];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, extraManifests: FOO, timeline });
  assert.deepEqual(kubectlOutput(obs, 'annotate'), [
    'pod/foo annotated',
    'Error from server (Conflict): Operation cannot be fulfilled on pods "foo": the object has been modified; please apply your changes to the latest version and try again',
  ]);
  // kubectl prints the API server's answer: one write latency after the command.
  assert.deepEqual(obs.events.filter((e) => e.message.startsWith('kubectl annotate')).map((e) => e.time), [15.01, 16.01]);
  assert.deepEqual(run.apiServer.get('Pod', 'default', 'foo')!.metadata.annotations, { existing: 'abc', a: 'b' });
});

test('a bad annotate command is a load-time error at spec.timeline[i].run; a missing deployment is an unknown reference', () => {
  const yaml = testScenarioYaml({ timeline: [{ at: '10s', run: 'kubectl annotate deployment web a=b a-' }] });
  assert.throws(
    () => loadScenarioText(yaml, 'test.yaml'),
    (e: unknown) => e instanceof ScenarioError && e.message.includes('spec.timeline[0].run') && e.message.includes('can not both modify and remove'),
  );
  assert.throws(
    () => loadScenarioText(testScenarioYaml({ timeline: [{ at: '5s', run: 'kubectl annotate deployment nosuch a=b' }] }), 'test.yaml'),
    (e: unknown) => e instanceof ScenarioError && /spec\.timeline\[0\]\.run/.test(e.message) && /nosuch/.test(e.message),
  );
});
