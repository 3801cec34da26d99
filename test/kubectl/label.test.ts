/**
 * kubectl label against staging/src/k8s.io/kubectl/pkg/cmd/label/label_test.go: the cases of
 * TestParseLabels, TestValidateLabels, TestLabelFunc, TestLabelMsg and TestLabelErrors are
 * transcribed (inputs and expectations as upstream has them), TestRunLabelMsg is replayed as
 * a timeline against a pod `foo` labelled existing=abc. Bad commands are refused at load time,
 * at the timeline entry's path, and `kubesim validate` exits 2 on them.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubectlSyntaxError, parseKubectl, type LabelCommand } from '../../engine/kubectl/index.js';
import { applyLabels, dataChangeMsg, MSG_LABELED, MSG_NOT_LABELED, MSG_UNLABELED, parseLabels, validateNoOverwrites } from '../../engine/kubectl/label-func.js';
import { ScenarioError } from '../../engine/scenario/errors.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { ScenarioRun } from '../../engine/run.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { kubectlOutput, runTestScenario, testScenarioYaml } from '../helpers/scenario.js';

function refused(line: string, found: RegExp): void {
  assert.throws(
    () => parseKubectl(line),
    (e: unknown) => e instanceof KubectlSyntaxError && found.test(e.found),
    line,
  );
}

test('TestParseLabels', () => {
  const cases: { labels: string[]; expected?: Record<string, string>; remove?: string[]; err?: boolean }[] = [
    { labels: ['a=b', 'c=d'], expected: { a: 'b', c: 'd' } },
    { labels: [], expected: {} },
    { labels: ['a=b', 'c=d', 'e-'], expected: { a: 'b', c: 'd' }, remove: ['e'] },
    { labels: ['ab', 'c=d'], err: true },
    { labels: ['a=b', 'c=d', 'a-'], err: true },
    { labels: ['a='], expected: { a: '' } },
    { labels: ['a=%^$'], err: true },
  ];
  for (const c of cases) {
    const r = parseLabels(c.labels);
    if (c.err) {
      assert.ok('error' in r, c.labels.join(' '));
      continue;
    }
    assert.ok(!('error' in r));
    assert.deepEqual(Object.fromEntries(r.set), c.expected);
    assert.deepEqual(r.remove, c.remove ?? []);
  }
  // The texts label.go returns.
  assert.deepEqual(parseLabels(['ab']), { error: 'unknown label spec: ab' });
  assert.deepEqual(parseLabels(['a=b=c']), { error: 'invalid label spec: a=b=c' });
  assert.deepEqual(parseLabels(['a=b', 'a-']), { error: 'can not both modify and remove a label in the same command' });
  const bad = parseLabels(['a=%^$']);
  assert.ok('error' in bad);
  assert.match(bad.error, /^invalid label value: "a=%\^\$": a valid label must be an empty string or consist of alphanumeric characters/);
});

test('TestValidateLabels and TestLabelFunc: --overwrite is needed only to change a value', () => {
  const meta = { a: 'b', c: 'd' };
  assert.ok(validateNoOverwrites(meta, new Map([['a', 'c'], ['d', 'b']])), 'one shared');
  assert.ok(validateNoOverwrites(meta, new Map([['b', 'd'], ['c', 'a']])), 'second shared');
  assert.equal(validateNoOverwrites(meta, new Map([['b', 'a'], ['d', 'c']])), undefined, 'no overlap');
  assert.equal(validateNoOverwrites(undefined, new Map([['b', 'a'], ['d', 'c']])), undefined, 'no labels');
  // TestLabelFunc: the same value is no overwrite (kubernetes#105936); another value is.
  assert.equal(validateNoOverwrites({ a: 'b' }, new Map([['a', 'b']])), undefined);
  assert.equal(validateNoOverwrites({ a: 'b' }, new Map([['a', 'c']])), "'a' already has a value (b), and --overwrite is false");
  assert.deepEqual(applyLabels({ a: 'b' }, new Map([['a', 'c']]), []), { a: 'c' });
  assert.deepEqual(applyLabels({ a: 'b' }, new Map([['c', 'd']]), []), { a: 'b', c: 'd' });
  assert.deepEqual(applyLabels({ a: 'b' }, new Map(), ['a']), {});
  assert.deepEqual(applyLabels({ a: 'b', c: 'd' }, new Map([['e', 'f']]), ['a']), { c: 'd', e: 'f' });
  assert.deepEqual(applyLabels(undefined, new Map([['a', 'b']]), []), { a: 'b' });
  // Several refusals print as utilerrors' aggregate.
  assert.equal(
    validateNoOverwrites({ a: 'b', c: 'd' }, new Map([['a', 'x'], ['c', 'y']])),
    "['a' already has a value (b), and --overwrite is false, 'c' already has a value (d), and --overwrite is false]",
  );
});

test('TestLabelMsg: not labeled, labeled, unlabeled', () => {
  const cases: { obj?: Record<string, string>; labels: Record<string, string>; remove?: string[]; overwrite?: boolean; msg: string }[] = [
    { obj: { a: 'b' }, labels: { a: 'b' }, msg: MSG_NOT_LABELED },
    { obj: undefined, labels: { a: 'b' }, msg: MSG_LABELED },
    { obj: { a: 'b' }, labels: { a: 'c' }, overwrite: true, msg: MSG_LABELED },
    { obj: { a: 'b' }, labels: { c: 'd' }, msg: MSG_LABELED },
    { obj: { a: 'b' }, labels: {}, remove: ['a'], msg: MSG_UNLABELED },
    { obj: { a: 'b', c: 'd' }, labels: { e: 'f' }, remove: ['a'], msg: MSG_LABELED },
    { obj: { status: 'unhealthy' }, labels: { status: 'healthy' }, overwrite: true, msg: MSG_LABELED },
  ];
  for (const c of cases) {
    const after = applyLabels(c.obj, new Map(Object.entries(c.labels)), c.remove ?? []);
    assert.equal(dataChangeMsg(c.obj, after, c.overwrite ?? false), c.msg, JSON.stringify(c));
  }
  // kubernetes/kubectl#1323, kept: with --overwrite a removal says "labeled".
  assert.equal(dataChangeMsg({ a: 'b' }, {}, true), MSG_LABELED);
});

test('TestLabelErrors: refused before anything is sent, with kubectl\'s words', () => {
  refused('kubectl label', /one or more resources must be specified/);
  refused('kubectl label pods', /at least one label update is required/);
  refused('kubectl label pods -', /at least one label update is required/);
  refused('kubectl label pods =bar', /at least one label update is required/);
  refused('kubectl label pods-', /one or more resources must be specified/);
  refused('kubectl label pods=bar', /one or more resources must be specified/);
  refused('kubectl label pods app=bar', /resource\(s\) were provided, but no name was specified/);
  // And the other checks of Complete, Validate and the Builder.
  refused('kubectl label node w1 a=b w2', /all resources must be specified before label changes: w2/);
  refused('kubectl label pods --all -l app=web a=b', /cannot set --all and --selector at the same time/);
  refused('kubectl label pods foo -l app=web a=b', /name cannot be provided when a selector is specified/);
  refused('kubectl label pod foo a=b=c', /invalid label spec: a=b=c/);
  refused('kubectl label node node/w1 a=b', /there is no need to specify a resource type as a separate argument/);
  refused('kubectl label configmap cfg a=b', /resource "configmap"/);
  // The key is the API server's to check (ValidateLabels); known now, the command is refused now.
  refused('kubectl label node w1 bad^key=v', /metadata\.labels: Invalid value: "bad\^key": name part must consist of alphanumeric characters/);
  refused('kubectl label node w1 a=b --overwrite=maybe', /"maybe"/);
});

test('parse: TYPE NAME..., TYPE/NAME, -l, --all, -A', () => {
  const c = parseKubectl('kubectl label nodes w1 w2 disk=ssd zone- --overwrite') as LabelCommand;
  assert.deepEqual(c.selection, { by: 'names', objects: [{ resource: 'node', name: 'w1' }, { resource: 'node', name: 'w2' }] });
  assert.deepEqual(c.set, [['disk', 'ssd']]);
  assert.deepEqual(c.remove, ['zone']);
  assert.equal(c.overwrite, true);
  const slash = parseKubectl('kubectl label deploy/web svc/web tier=front -n shop') as LabelCommand;
  assert.deepEqual(slash.selection, { by: 'names', objects: [{ resource: 'deployment', name: 'web' }, { resource: 'service', name: 'web' }] });
  assert.equal(slash.namespace, 'shop');
  const sel = parseKubectl('kubectl label pods -l app=web -A tier=front') as LabelCommand;
  assert.deepEqual(sel.selection, { by: 'selector', resource: 'pod', selector: { app: 'web' } });
  assert.equal(sel.allNamespaces, true);
  assert.deepEqual((parseKubectl('kubectl label po --all x=y') as LabelCommand).selection, { by: 'selector', resource: 'pod', selector: {} });
});

const FOO = `    - apiVersion: v1
      kind: Pod
      metadata: { name: foo, labels: { existing: abc } }
      spec:
        containers: [{ name: c, image: busybox:1.36 }]
`;

test('TestRunLabelMsg, as a timeline: labeled, refused, unlabeled, not found', () => {
  const timeline = [
    { at: '10s', run: 'kubectl label pods/foo existing=bar' },
    { at: '11s', run: 'kubectl label pods/foo foo=bar' },
    { at: '12s', run: 'kubectl label pods/foo existing=bar --overwrite' },
    { at: '13s', run: 'kubectl label pods/foo existing-' },
    { at: '14s', run: 'kubectl label pods/foo existing-' },
    { at: '15s', run: 'kubectl label pod foo foo=bar' },
    { at: '16s', run: 'kubectl label pod nosuch a=b' },
  ];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, extraManifests: FOO, timeline });
  assert.deepEqual(kubectlOutput(obs, 'label'), [
    "error: 'existing' already has a value (abc), and --overwrite is false",
    'pod/foo labeled',
    'pod/foo labeled',
    'pod/foo unlabeled',
    'label "existing" not found.',
    'pod/foo not labeled',
    'pod/foo not labeled',
    'Error from server (NotFound): pods "nosuch" not found',
  ]);
  assert.deepEqual(obs.eventsWith('KubectlError').map((e) => e.time), [10, 16]);
  assert.deepEqual(run.apiServer.get('Pod', 'default', 'foo')!.metadata.labels, { foo: 'bar' });
});

test('label by selector and on several kinds: each object prints TYPE/NAME, in the order the API server lists them', () => {
  const timeline = [
    { at: '10s', run: 'kubectl label pods -l app=web tier=front' },
    { at: '11s', run: 'kubectl label deployment/web svc/web team=shop' },
    { at: '12s', run: 'kubectl label nodes --all rack=r1' },
    { at: '13s', run: 'kubectl label pods -l app=nothing x=y' },
  ];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, timeline });
  const out = kubectlOutput(obs, 'label');
  const pods = run.apiServer.list('Pod').map((p) => p.metadata.name).sort();
  assert.deepEqual(out, [
    ...pods.map((p) => `pod/${p} labeled`),
    'deployment.apps/web labeled',
    'service/web labeled',
    'node/cp labeled',
    'node/w1 labeled',
    'node/w2 labeled',
    'node/w3 labeled',
  ]);
  for (const p of run.apiServer.list('Pod')) assert.equal(p.metadata.labels?.tier, 'front');
  assert.equal(run.apiServer.get('Service', 'default', 'web')!.metadata.labels?.team, 'shop');
  assert.equal(run.apiServer.get('Node', undefined, 'cp')!.metadata.labels?.rack, 'r1');
});

test('a bad label command is a load-time error at spec.timeline[i].run; kubesim validate exits 2 with one line', () => {
  const yaml = testScenarioYaml({ timeline: [{ at: '5s', run: 'kubectl scale deployment web --replicas=2' }, { at: '10s', run: 'kubectl label node w1 disk=%bad' }] });
  assert.throws(
    () => loadScenarioText(yaml, 'test.yaml'),
    (e: unknown) => e instanceof ScenarioError && e.message.includes('spec.timeline[1].run') && e.message.includes('invalid label value: "disk=%bad"'),
  );
  // A node that does not exist is an unknown reference, as for cordon.
  assert.throws(() => loadScenarioText(testScenarioYaml({ timeline: [{ at: '5s', run: 'kubectl label node w9 a=b' }] }), 'test.yaml'), (e: unknown) => e instanceof ScenarioError && /spec\.timeline\[0\]\.run/.test(e.message) && /w9/.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-label-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, yaml);
  const main = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
  const r = spawnSync(process.execPath, [main, 'validate', file], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(r.stderr.includes(`${file}: spec.timeline[1].run: expected`), r.stderr);
  assert.ok(r.stderr.includes('kubectl: invalid label value'), r.stderr);
});

test('--resource-version (label.go): one resource only; the version read applies, a stale one is a Conflict and changes nothing', () => {
  refused('kubectl label pods -l app=web a=b --resource-version=5', /--resource-version may only be used with a single resource/);
  assert.equal((parseKubectl('kubectl label pods/foo a=b --resource-version=12') as LabelCommand).resourceVersion, '12');
  // The pod's resourceVersion at 15s, read from a run stopped there (the same scenario and seed
  // run the same way up to 15s).
  const probe = new ScenarioRun(loadScenarioText(testScenarioYaml({ duration: '30s', rate: 1, extraManifests: FOO }), 'test.yaml').scenario, new MemoryObserver());
  while (probe.now < 14.9 && !probe.done) probe.advance();
  const version = probe.apiServer.get('Pod', 'default', 'foo')!.metadata.resourceVersion!;
  const timeline = [
    { at: '15s', run: `kubectl label pod foo a=b --resource-version=${version}` },
    { at: '16s', run: `kubectl label pod foo c=d --resource-version=${version}` },
  ];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, extraManifests: FOO, timeline });
  assert.deepEqual(kubectlOutput(obs, 'label'), [
    'pod/foo labeled',
    'Error from server (Conflict): Operation cannot be fulfilled on pods "foo": the object has been modified; please apply your changes to the latest version and try again',
  ]);
  // Printed when the API server answered: one write latency after the command.
  assert.deepEqual(obs.events.filter((e) => e.message.startsWith('kubectl label')).map((e) => e.time), [15.01, 16.01]);
  assert.deepEqual(run.apiServer.get('Pod', 'default', 'foo')!.metadata.labels, { existing: 'abc', a: 'b' });
});
