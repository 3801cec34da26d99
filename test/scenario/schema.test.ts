import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ScenarioError } from '../../engine/scenario/errors.js';
import { arr, duration, enumOf, int, map, num, obj, quantity, str, union, literal } from '../../engine/scenario/schema.js';
import { scenarioJsonSchema } from '../../engine/scenario/scenario-schema.js';
import { repoPath } from '../helpers/paths.js';

const ctx = { file: 'f.yaml', path: 'x' };

function errorOf(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `expected a ScenarioError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test('scenarios/scenario.schema.json is the schema the DSL emits', () => {
  const committed = readFileSync(repoPath('scenarios/scenario.schema.json'), 'utf8');
  const generated = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
  assert.ok(
    committed === generated,
    'scenarios/scenario.schema.json is out of date; regenerate it with: npm run build && node dist/cli/main.js schema > scenarios/scenario.schema.json',
  );
});

test('int: every integer within bounds passes, every one outside fails at the path', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -3000, max: 3000 }), (a, b, v) => {
      const [min, max] = a <= b ? [a, b] : [b, a];
      const schema = int({ min, max });
      if (v >= min && v <= max) return schema.parse(v, ctx) === v;
      const e = errorOf(() => schema.parse(v, ctx));
      return e.path === 'x' && e.found === String(v) && e.expected === `an integer >= ${min} and <= ${max}`;
    }),
  );
});

test('int refuses non-integers and strings, saying what was found', () => {
  assert.equal(errorOf(() => int().parse(1.5, ctx)).found, '1.5');
  assert.equal(errorOf(() => int().parse('abc', ctx)).found, 'string "abc"');
  assert.equal(errorOf(() => int({ min: 0 }).parse(-5, ctx)).message, 'f.yaml: x: expected an integer >= 0, found -5');
});

test('num honours exclusive minimums', () => {
  fc.assert(fc.property(fc.double({ min: 1e-300, max: 1e6, noNaN: true }), (v) => num({ exclusiveMin: 0 }).parse(v, ctx) === v));
  assert.match(errorOf(() => num({ exclusiveMin: 0 }).parse(0, ctx)).message, /expected a number > 0, found 0/);
});

test('obj: unknown fields list the allowed names, missing fields are named, defaults fill in', () => {
  const schema = obj({ name: str(), size: int().default(3) }, { required: ['name'] });
  assert.deepEqual(schema.parse({ name: 'a' }, ctx), { name: 'a', size: 3 });
  const unknown = errorOf(() => schema.parse({ name: 'a', sise: 1 }, ctx));
  assert.equal(unknown.message, 'f.yaml: x: expected one of the fields name, size, found unknown field "sise"');
  assert.equal(errorOf(() => schema.parse({}, ctx)).path, 'x.name');
  const kept = obj({ a: int() }, { additional: 'keep' }).parse({ z: [1], a: 1 }, ctx);
  assert.deepEqual(Object.keys(kept), ['z', 'a']);
});

test('nested paths use dots and indexes, odd keys are quoted', () => {
  const schema = obj({ items: arr(obj({ labels: map(int()) })) });
  const e = errorOf(() => schema.parse({ items: [{ labels: {} }, { labels: { 'kubernetes.io/x': 'no' } }] }, { file: undefined, path: 'spec' }));
  assert.equal(e.path, 'spec.items[1].labels["kubernetes.io/x"]');
});

test('union picks the variant by its key and names unknown tags', () => {
  const schema = union('kind', { A: obj({ kind: literal('A'), a: int() }), B: obj({ kind: literal('B'), b: str() }) });
  assert.deepEqual(schema.parse({ kind: 'B', b: 'x' }, ctx), { kind: 'B', b: 'x' });
  const e = errorOf(() => schema.parse({ kind: 'C' }, ctx));
  assert.equal(e.path, 'x.kind');
  assert.equal(e.found, 'kind C');
});

test('duration and quantity normalize to seconds, millicores and bytes', () => {
  assert.equal(duration().parse('1m30s', ctx), 90);
  assert.equal(quantity('cpu').parse('250m', ctx), 250);
  assert.equal(quantity('memory').parse('1Ki', ctx), 1024);
  assert.equal(quantity('text').parse('1Ki', ctx), '1Ki');
  assert.match(errorOf(() => duration({ exclusiveMin: 0 }).parse('0s', ctx)).message, /expected a duration > 0 seconds/);
  assert.equal(errorOf(() => quantity('cpu').parse('lots', ctx)).found, 'string "lots"');
  assert.equal(errorOf(() => enumOf(['a', 'b']).parse('c', ctx)).expected, 'one of a, b');
});

test('every emitted JSON Schema node is an object with known keywords', () => {
  const known = new Set([
    '$schema', '$id', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties', 'items', 'minItems',
    'maxItems', 'minimum', 'maximum', 'exclusiveMinimum', 'pattern', 'minLength', 'maxLength', 'enum', 'const', 'default', 'oneOf', 'anyOf',
  ]);
  const walk = (node: unknown, where: string): void => {
    assert.ok(node && typeof node === 'object' && !Array.isArray(node), where);
    for (const [k, v] of Object.entries(node)) {
      assert.ok(known.has(k), `${where}: unknown keyword ${k}`);
      if (k === 'properties') for (const [p, s] of Object.entries(v as object)) walk(s, `${where}.${p}`);
      if (k === 'items' || (k === 'additionalProperties' && typeof v === 'object')) walk(v, `${where}.${k}`);
      if (k === 'oneOf' || k === 'anyOf') (v as unknown[]).forEach((s, i) => walk(s, `${where}.${k}[${i}]`));
    }
  };
  walk(scenarioJsonSchema(), '#');
});
