import test from 'node:test';
import assert from 'node:assert/strict';
import { matchesMap, matchesSelector } from '../../engine/api/labels.js';

// Cases after k8s.io/apimachinery/pkg/labels/selector_test.go (TestSelectorMatches, TestRequirementMatches).
test('label selectors: matchLabels and the four operators', () => {
  const labels = { app: 'web', tier: 'front' };
  assert.equal(matchesSelector({}, labels), true, 'an empty selector matches everything');
  assert.equal(matchesSelector(undefined, labels), false, 'a missing selector matches nothing');
  assert.equal(matchesSelector({ matchLabels: { app: 'web' } }, labels), true);
  assert.equal(matchesSelector({ matchLabels: { app: 'db' } }, labels), false);
  assert.equal(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels), true);
  assert.equal(matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels), false);
  assert.equal(matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels), true, 'NotIn holds when the key is absent');
  assert.equal(matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels), false);
  assert.equal(matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels), true);
  assert.equal(matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, labels), false);
});

test('a Service selector selects nothing when empty (endpoints controller semantics)', () => {
  assert.equal(matchesMap({}, { app: 'web' }), false);
  assert.equal(matchesMap({ app: 'web' }, { app: 'web', x: 'y' }), true);
});
