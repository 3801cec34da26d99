/**
 * kubectl taint against upstream's tests: staging/src/k8s.io/kubectl/pkg/cmd/taint/utils_test.go
 * (TestDeleteTaint, TestDeleteTaintByKey, TestCheckIfTaintsAlreadyExists, TestReorganizeTaints,
 * TestParseTaints) transcribed against taint-utils.ts, and taint_test.go (TestTaint,
 * TestValidateFlags) replayed as timeline commands against a node carrying the old taints.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Taint, TaintEffect } from '../../engine/api/types.js';
import { KubectlSyntaxError, parseKubectl, type TaintCommand } from '../../engine/kubectl/index.js';
import {
  checkIfTaintsAlreadyExists,
  conflictingTaints,
  deleteTaint,
  deleteTaintsByKey,
  MODIFIED,
  parseTaints,
  reorganizeTaints,
  TAINTED,
  UNTAINTED,
  type TaintSpec,
} from '../../engine/kubectl/taint-utils.js';
import { kubectlOutput, runTestScenario } from '../helpers/scenario.js';

const NS: TaintEffect = 'NoSchedule';
const NE: TaintEffect = 'NoExecute';
const PNS: TaintEffect = 'PreferNoSchedule';

test('TestDeleteTaint and TestDeleteTaintByKey', () => {
  assert.deepEqual(deleteTaint([{ key: 'foo', effect: NS }], { key: 'foo_1', effect: NS }), [[{ key: 'foo', effect: NS }], false]);
  assert.deepEqual(deleteTaint([{ key: 'foo', effect: NS }], { key: 'foo', effect: NE }), [[{ key: 'foo', effect: NS }], false]);
  assert.deepEqual(deleteTaint([{ key: 'foo', effect: NS }], { key: 'foo', effect: NS }), [[], true]);
  assert.deepEqual(deleteTaint([], { key: 'foo', effect: NS }), [[], false]);
  assert.deepEqual(deleteTaintsByKey([{ key: 'foo', value: 'bar', effect: NS }], 'foo_1'), [[{ key: 'foo', value: 'bar', effect: NS }], false]);
  assert.deepEqual(deleteTaintsByKey([{ key: 'foo', value: 'bar', effect: NS }], 'foo'), [[], true]);
  assert.deepEqual(deleteTaintsByKey([], 'foo'), [[], false]);
});

test('TestCheckIfTaintsAlreadyExists', () => {
  const old: Taint[] = ['foo_1', 'foo_2', 'foo_3'].map((key) => ({ key, value: 'bar', effect: NS }));
  assert.equal(checkIfTaintsAlreadyExists(old, []), '');
  assert.equal(checkIfTaintsAlreadyExists(old, [{ key: 'foo_1', effect: NE }]), '');
  assert.equal(checkIfTaintsAlreadyExists(old, [{ key: 'foo_2', effect: NS }]), 'foo_2');
  assert.equal(checkIfTaintsAlreadyExists(old, [{ key: 'foo_2', effect: NS }, { key: 'foo_3', effect: NS }]), 'foo_2,foo_3');
});

test('TestReorganizeTaints', () => {
  const node: Taint[] = [{ key: 'foo', value: 'bar', effect: NS }];
  const cases: { name: string; overwrite: boolean; add: TaintSpec[]; del: TaintSpec[]; taints: Taint[]; op: string; err: boolean }[] = [
    { name: 'no changes with overwrite is true', overwrite: true, add: [], del: [], taints: node, op: MODIFIED, err: false },
    { name: 'no changes with overwrite is false', overwrite: false, add: [], del: [], taints: node, op: UNTAINTED, err: false },
    { name: 'add new taint', overwrite: false, add: [{ key: 'foo_1', effect: NE }], del: [], taints: [{ key: 'foo_1', effect: NE }, ...node], op: TAINTED, err: false },
    { name: 'delete taint with effect', overwrite: false, add: [], del: [{ key: 'foo', effect: NS }], taints: [], op: UNTAINTED, err: false },
    { name: 'delete taint with no effect', overwrite: false, add: [], del: [{ key: 'foo' }], taints: [], op: UNTAINTED, err: false },
    { name: 'delete non-exist taint', overwrite: false, add: [], del: [{ key: 'foo_1', effect: NS }], taints: node, op: UNTAINTED, err: true },
    { name: 'add new taint and delete old one', overwrite: false, add: [{ key: 'foo_1', effect: NS }], del: [{ key: 'foo', effect: NS }], taints: [{ key: 'foo_1', effect: NS }], op: MODIFIED, err: false },
  ];
  for (const c of cases) {
    const r = reorganizeTaints(node, c.overwrite, c.add, c.del);
    assert.deepEqual(r.taints, c.taints, c.name);
    assert.equal(r.operation, c.op, c.name);
    assert.equal(r.error !== undefined, c.err, c.name);
  }
  assert.equal(reorganizeTaints(node, false, [], [{ key: 'foo_1', effect: NS }]).error, 'taint "foo_1:NoSchedule" not found');
  assert.equal(reorganizeTaints(node, false, [], [{ key: 'bar' }]).error, 'taint "bar:" not found');
});

test('TestParseTaints', () => {
  for (const spec of [[''], ['foo=abc'], ['foo=abc=xyz:NoSchedule'], ['foo=abc:xyz:NoSchedule'], ['foo'], ['foo=abc:invalid_effect'], ['foo:invalid_effect-']]) {
    assert.ok('error' in parseTaints(spec), spec.join(' '));
  }
  const add = parseTaints(['foo=abc:NoSchedule', 'bar=abc:NoSchedule', 'baz:NoSchedule', 'qux:NoSchedule', 'foobar=:NoSchedule']);
  assert.deepEqual(add, {
    add: [
      { key: 'foo', value: 'abc', effect: NS },
      { key: 'bar', value: 'abc', effect: NS },
      { key: 'baz', effect: NS },
      { key: 'qux', effect: NS },
      { key: 'foobar', effect: NS },
    ],
    remove: [],
  });
  assert.deepEqual(parseTaints(['foo:NoSchedule-', 'bar:NoSchedule-', 'qux=:NoSchedule-', 'dedicated-']), {
    add: [],
    remove: [{ key: 'foo', effect: NS }, { key: 'bar', effect: NS }, { key: 'qux', effect: NS }, { key: 'dedicated' }],
  });
  const both = parseTaints(['foo=abc:NoSchedule', 'bar=abc:NoSchedule', 'baz:NoSchedule', 'qux:NoSchedule', 'foobar=:NoSchedule', 'foo:NoSchedule-', 'bar:NoSchedule-', 'baz=:NoSchedule-']);
  assert.ok(!('error' in both));
  assert.equal(both.add.length, 5);
  assert.deepEqual(both.remove, [{ key: 'foo', effect: NS }, { key: 'bar', effect: NS }, { key: 'baz', effect: NS }]);
  // The texts utils.go returns.
  assert.deepEqual(parseTaints(['foo=abc:invalid_effect']), { error: 'invalid taint effect: invalid_effect, unsupported taint effect' });
  assert.deepEqual(parseTaints(['foo']), { error: 'invalid taint spec: foo' });
  assert.deepEqual(parseTaints(['foo=abc=xyz:NoSchedule']), { error: 'invalid taint spec: foo=abc=xyz:NoSchedule' });
  assert.deepEqual(parseTaints(['a=b:NoSchedule', 'a=c:NoSchedule']), { error: 'duplicated taints with the same key and effect: {a c NoSchedule <nil>}' });
  const badKey = parseTaints(['nospecialchars^@=banana:NoSchedule']);
  assert.ok('error' in badKey);
  assert.match(badKey.error, /^invalid taint spec: nospecialchars\^@=banana:NoSchedule, name part must consist of alphanumeric characters/);
  assert.equal(conflictingTaints([{ key: 'foo', effect: NE }], [{ key: 'foo', effect: NE }]), 'can not both modify and remove the following taint(s) in the same command: {"foo":"NoExecute"}');
  assert.equal(conflictingTaints([{ key: 'foo', effect: NE }], [{ key: 'foo', effect: NS }]), undefined);
});

/** Runs `kubectl taint ARGS` at 10s against w1 carrying `old` (every worker does: they are one pool). */
function taintRun(old: Taint[], args: string): { fatal: boolean; taints: Taint[]; out: string[] } {
  let command: string;
  try {
    parseKubectl((command = `kubectl taint ${args}`));
  } catch (e) {
    if (e instanceof KubectlSyntaxError) return { fatal: true, taints: old, out: [] };
    throw e;
  }
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, timeline: [{ at: '10s', run: command }] }, [`spec.cluster.nodes[1].taints=${JSON.stringify(old)}`]);
  return { fatal: obs.eventsWith('KubectlError').length > 0, taints: run.apiServer.get('Node', undefined, 'w1')!.spec.taints ?? [], out: kubectlOutput(obs, 'taint') };
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  const norm = (t: Taint) => JSON.stringify([t.key, t.value ?? '', t.effect]);
  return a.length === b.length && a.every((x) => b.some((y) => norm(x) === norm(y)));
}

test('TestTaint, replayed as timeline commands', () => {
  const t = (key: string, value: string, effect: TaintEffect): Taint => ({ key, value, effect });
  const cases: { description: string; old: Taint[]; args: string; expect?: Taint[]; fatal: boolean }[] = [
    { description: 'taints a node with effect NoSchedule', old: [], args: 'node w1 foo=bar:NoSchedule', expect: [t('foo', 'bar', NS)], fatal: false },
    { description: 'taints a node with effect PreferNoSchedule', old: [], args: 'node w1 foo=bar:PreferNoSchedule', expect: [t('foo', 'bar', PNS)], fatal: false },
    { description: 'update an existing taint on the node, change the value from bar to barz', old: [t('foo', 'bar', NS)], args: 'node w1 foo=barz:NoSchedule --overwrite', expect: [t('foo', 'barz', NS)], fatal: false },
    { description: 'taints a node with two taints', old: [], args: 'node w1 dedicated=namespaceA:NoSchedule foo=bar:PreferNoSchedule', expect: [t('dedicated', 'namespaceA', NS), t('foo', 'bar', PNS)], fatal: false },
    { description: 'remove one of two taints with the same key by key and effect', old: [t('dedicated', 'namespaceA', NS), t('dedicated', 'namespaceA', PNS)], args: 'node w1 dedicated:NoSchedule-', expect: [t('dedicated', 'namespaceA', PNS)], fatal: false },
    { description: 'remove all of them with wildcard', old: [t('dedicated', 'namespaceA', NS), t('dedicated', 'namespaceA', PNS)], args: 'node w1 dedicated-', expect: [], fatal: false },
    { description: 'update one and remove the other', old: [t('dedicated', 'namespaceA', NS), t('foo', 'bar', PNS)], args: 'node w1 dedicated:NoSchedule- foo=barz:PreferNoSchedule --overwrite', expect: [t('foo', 'barz', PNS)], fatal: false },
    { description: 'invalid taint key', old: [], args: 'node w1 nospecialchars^@=banana:NoSchedule', fatal: true },
    { description: 'invalid taint effect', old: [], args: 'node w1 foo=bar:NoExcute', fatal: true },
    { description: 'duplicated taints with the same key and effect should be rejected', old: [], args: 'node w1 foo=bar:NoExcute foo=barz:NoExcute', fatal: true },
    { description: 'add and remove taint with same key and effect should be rejected', old: [], args: 'node w1 foo=:NoExcute foo=:NoExcute-', fatal: true },
    { description: "can't update existing taint on the node, since 'overwrite' flag is not set", old: [t('foo', 'bar', NS)], args: 'node w1 foo=bar:NoSchedule', expect: [t('foo', 'bar', NS)], fatal: true },
  ];
  for (const c of cases) {
    const r = taintRun(c.old, c.args);
    assert.equal(r.fatal, c.fatal, c.description);
    if (c.expect) assert.ok(sameTaints(r.taints, c.expect), `${c.description}: ${JSON.stringify(r.taints)}`);
    if (c.fatal) assert.ok(sameTaints(r.taints, c.old), `${c.description}: the node is not changed`);
  }
});

test('TestValidateFlags, and the other checks of Complete and Validate, at load time', () => {
  const refused = (line: string, found: RegExp) => assert.throws(() => parseKubectl(line), (e: unknown) => e instanceof KubectlSyntaxError && found.test(e.found), line);
  assert.deepEqual((parseKubectl('kubectl taint nodes -l myLabel=X dedicated=foo:PreferNoSchedule') as TaintCommand).selector, { myLabel: 'X' });
  assert.deepEqual((parseKubectl('kubectl taint nodes --all dedicated=foo:PreferNoSchedule') as TaintCommand).selector, {});
  refused('kubectl taint nodes -l myLabel=X --all dedicated=foo:PreferNoSchedule', /setting 'all' parameter with a non empty selector is prohibited/);
  refused('kubectl taint node dedicated=foo:PreferNoSchedule', /at least one resource name must be specified since 'all' parameter is not set/);
  assert.deepEqual((parseKubectl('kubectl taint no w1 w2 a:NoSchedule') as TaintCommand).nodes, ['w1', 'w2']);
  refused('kubectl taint pods foo a:NoSchedule', /invalid resource type pods, only node types are supported/);
  refused('kubectl taint node/w1 a:NoSchedule', /the server doesn't have a resource type "node\/w1"/);
  refused('kubectl taint nodes w1', /at least one taint update is required/);
  refused('kubectl taint a:NoSchedule', /one or more resources must be specified as <resource> <name>/);
  refused('kubectl taint nodes w1 a:NoSchedule w2', /all resources must be specified before taint changes: w2/);
  refused('kubectl taint nodes w1 a:NoSchedule a-', /can not both modify and remove the following taint\(s\) in the same command: \{"a":""\}/);
});

test('what kubectl prints: tainted, modified, untainted, and its errors', () => {
  const timeline = [
    { at: '10s', run: 'kubectl taint nodes w1 dedicated=gpu:NoSchedule' },
    { at: '11s', run: 'kubectl taint nodes w1 dedicated=cpu:NoSchedule' },
    { at: '12s', run: 'kubectl taint nodes w1 dedicated=cpu:NoSchedule --overwrite' },
    { at: '13s', run: 'kubectl taint nodes w1 dedicated:NoExecute-' },
    { at: '14s', run: 'kubectl taint nodes w1 dedicated- other-' },
    { at: '15s', run: 'kubectl taint nodes w1 dedicated-' },
    { at: '16s', run: 'kubectl taint nodes -l node-role.kubernetes.io/control-plane= extra=1:PreferNoSchedule' },
  ];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, timeline });
  assert.deepEqual(kubectlOutput(obs, 'taint'), [
    'node/w1 tainted',
    'error: node w1 already has dedicated taint(s) with same effect(s) and --overwrite is false',
    'node/w1 modified',
    'error: taint "dedicated:NoExecute" not found',
    'error: taint "other:" not found',
    'node/w1 untainted',
    'node/cp tainted',
  ]);
  assert.equal(run.apiServer.get('Node', undefined, 'w1')!.spec.taints, undefined);
  // New taints go first (reorganizeTaints), the node's own after them.
  assert.deepEqual(run.apiServer.get('Node', undefined, 'cp')!.spec.taints, [
    { key: 'extra', value: '1', effect: PNS },
    { key: 'node-role.kubernetes.io/control-plane', effect: NS },
  ]);
});

const key = fc.constantFrom('a', 'b', 'c', 'example.com/d');
const effect = fc.constantFrom<TaintEffect>(NS, PNS, NE);
const value = fc.constantFrom('', 'x', 'y');

test('reorganizeTaints: the added taints are there, the removed ones are not, the rest of the node stays, key and effect stay unique', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ key, value, effect }), { selector: (t) => `${t.key}:${t.effect}`, maxLength: 6 }),
      fc.uniqueArray(fc.record({ key, value, effect }), { selector: (t) => `${t.key}:${t.effect}`, maxLength: 3 }),
      fc.array(fc.record({ key, effect: fc.option(effect, { nil: undefined }) }), { maxLength: 2 }),
      fc.boolean(),
      (oldRaw, addRaw, removeRaw, overwrite) => {
        const old: Taint[] = oldRaw.map((t) => ({ key: t.key, ...(t.value && { value: t.value }), effect: t.effect }));
        const add: TaintSpec[] = addRaw.map((t) => ({ key: t.key, ...(t.value && { value: t.value }), effect: t.effect }));
        const remove: TaintSpec[] = removeRaw.map((r) => ({ key: r.key, ...(r.effect && { effect: r.effect }) }));
        fc.pre(conflictingTaints(add, remove) === undefined);
        const r = reorganizeTaints(old, overwrite, add, remove);
        const pairs = r.taints.map((t) => `${t.key}:${t.effect}`);
        assert.equal(new Set(pairs).size, pairs.length);
        for (const a of add) assert.ok(r.taints.some((t) => t.key === a.key && t.effect === a.effect && (t.value ?? '') === (a.value ?? '')));
        for (const x of remove) assert.ok(!r.taints.some((t) => t.key === x.key && (x.effect === undefined || t.effect === x.effect)));
        for (const o of old) {
          const replaced = add.some((a) => a.key === o.key && a.effect === o.effect);
          const removed = remove.some((x) => x.key === o.key && (x.effect === undefined || x.effect === o.effect));
          if (!replaced && !removed) assert.ok(r.taints.includes(o));
        }
        // An error only when a removal found nothing to remove at its turn.
        if (r.error !== undefined) assert.match(r.error, /taint ".*" not found/);
        if (overwrite) assert.equal(r.operation, MODIFIED);
      },
    ),
  );
});
