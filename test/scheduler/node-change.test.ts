/**
 * NodeSchedulingPropertiesChange: what a Node update changed, as scheduling-queue events.
 * The table of pkg/scheduler/backend/queue/events_test.go TestNodeSchedulingPropertiesChange
 * (and the condition cases of TestNodeConditionsChanged) transcribed, plus the semantic
 * comparisons kubesim's objects need (quantities by value, a missing map equal to an empty one).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Node } from '../../engine/api/types.js';
import { nodeSchedulingPropertiesChange, nodeSnapshot } from '../../engine/scheduler/node-change.js';
import { makeNode } from './helpers.js';

/** st.MakeNode(): a node with no labels, taints, allocatable or conditions. */
function bare(edit: (n: Node) => void = () => {}): Node {
  const n: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: '' }, spec: {}, status: { capacity: {}, allocatable: {}, addresses: [] } };
  edit(n);
  return n;
}

const labels = (n: Node, l: Record<string, string>) => (n.metadata.labels = l);

const CASES: { name: string; newNode: Node; oldNode: Node; want: string[] }[] = [
  { name: 'no specific changed applied', newNode: bare((n) => (n.spec.unschedulable = false)), oldNode: bare((n) => (n.spec.unschedulable = false)), want: [] },
  { name: 'only node spec unavailable changed', newNode: bare((n) => (n.spec.unschedulable = false)), oldNode: bare((n) => (n.spec.unschedulable = true)), want: ['NodeSpecUnschedulableChange'] },
  {
    name: 'only node allocatable changed',
    newNode: bare((n) => (n.status.allocatable = { cpu: '1000m', memory: '100m', 'example.com/foo': '1' })),
    oldNode: bare((n) => (n.status.allocatable = { cpu: '1000m', memory: '100m', 'example.com/foo': '2' })),
    want: ['NodeAllocatableChange'],
  },
  { name: 'only node label changed', newNode: bare((n) => labels(n, { foo: 'bar' })), oldNode: bare((n) => labels(n, { foo: 'fuz' })), want: ['NodeLabelChange'] },
  {
    name: 'only node taint changed',
    newNode: bare((n) => (n.spec.taints = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }])),
    oldNode: bare((n) => (n.spec.taints = [{ key: 'node.kubernetes.io/unschedulable', value: 'foo', effect: 'NoSchedule' }])),
    want: ['NodeTaintChange'],
  },
  {
    name: 'only node annotation changed',
    newNode: bare((n) => (n.metadata.annotations = { foo: 'bar' })),
    oldNode: bare((n) => (n.metadata.annotations = { foo: 'fuz' })),
    want: ['NodeAnnotationChange'],
  },
  {
    name: 'only node condition changed',
    newNode: bare(),
    oldNode: bare((n) => (n.status.conditions = [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'Ready' }])),
    want: ['NodeConditionChange'],
  },
  {
    name: 'both node label and node taint changed',
    newNode: bare((n) => {
      labels(n, { foo: 'bar' });
      n.spec.taints = [{ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }];
    }),
    oldNode: bare((n) => (n.spec.taints = [{ key: 'node.kubernetes.io/unschedulable', value: 'foo', effect: 'NoSchedule' }])),
    want: ['NodeLabelChange', 'NodeTaintChange'],
  },
];

for (const c of CASES) {
  test(`NodeSchedulingPropertiesChange (events_test.go): ${c.name}`, () => {
    assert.deepEqual(
      nodeSchedulingPropertiesChange(c.newNode, c.oldNode).map((e) => e.label),
      c.want,
    );
  });
}

test('conditions compare by type and status only: a heartbeat is no change (TestNodeConditionsChanged)', () => {
  const ready = (status: 'True' | 'False', heartbeat: number) => bare((n) => (n.status.conditions = [{ type: 'Ready', status, lastHeartbeatTime: heartbeat, lastTransitionTime: 0 }]));
  assert.deepEqual(nodeSchedulingPropertiesChange(ready('True', 2), ready('True', 1)), []);
  assert.deepEqual(nodeSchedulingPropertiesChange(ready('True', 2), ready('False', 1)).map((e) => e.label), ['NodeConditionChange']);
});

test('a cordon is no spec event (the unschedulable taint that follows is); an uncordon is, as UpdateNodeTaint', () => {
  const cordoned = bare((n) => (n.spec.unschedulable = true));
  const open = bare();
  assert.deepEqual(nodeSchedulingPropertiesChange(cordoned, open), []);
  const uncordon = nodeSchedulingPropertiesChange(open, cordoned);
  assert.deepEqual(uncordon.map((e) => [e.label, e.resource]), [['NodeSpecUnschedulableChange', 'Node']]);
});

test('semantic equality: quantities by value, a missing map equals an empty one, taint order matters', () => {
  assert.deepEqual(nodeSchedulingPropertiesChange(bare((n) => (n.status.allocatable = { cpu: '1' })), bare((n) => (n.status.allocatable = { cpu: '1000m' }))), []);
  assert.deepEqual(nodeSchedulingPropertiesChange(bare((n) => (n.status.allocatable = { memory: '1Gi' })), bare((n) => (n.status.allocatable = { memory: '1073741824' }))), []);
  assert.deepEqual(nodeSchedulingPropertiesChange(bare((n) => labels(n, {})), bare()), []);
  const a = { key: 'a', effect: 'NoSchedule' as const };
  const b = { key: 'b', effect: 'NoSchedule' as const };
  assert.deepEqual(nodeSchedulingPropertiesChange(bare((n) => (n.spec.taints = [a, b])), bare((n) => (n.spec.taints = [b, a]))).map((e) => e.label), ['NodeTaintChange']);
  assert.deepEqual(nodeSchedulingPropertiesChange(bare((n) => (n.spec.taints = [{ ...a, value: '' }])), bare((n) => (n.spec.taints = [a]))), []);
});

test('nodeSnapshot is a copy: changing the live node afterwards shows up as a change, not in the copy', () => {
  const live = makeNode('n1', { cpu: '2' }, { labels: { zone: 'a' }, taints: [{ key: 'k', effect: 'NoSchedule' }] });
  const before = nodeSnapshot(live);
  live.metadata.labels!.zone = 'b';
  live.spec.taints![0]!.effect = 'NoExecute';
  assert.equal(before.metadata.labels!.zone, 'a');
  assert.deepEqual(nodeSchedulingPropertiesChange(nodeSnapshot(live), before).map((e) => e.label), ['NodeLabelChange', 'NodeTaintChange']);
});

test('property: a node compared with its own copy changed nothing; changing one label is exactly NodeLabelChange', () => {
  const labelMap = fc.dictionary(fc.constantFrom('a', 'b', 'zone', 'disk'), fc.constantFrom('x', 'y', ''));
  fc.assert(
    fc.property(labelMap, fc.constantFrom('a', 'b', 'zone', 'disk'), (l, key) => {
      const node = makeNode('n', { cpu: '1' }, { labels: l });
      assert.deepEqual(nodeSchedulingPropertiesChange(nodeSnapshot(node), nodeSnapshot(node)), []);
      const changed = nodeSnapshot(node);
      changed.metadata.labels = { ...changed.metadata.labels, [key]: `${changed.metadata.labels?.[key] ?? ''}!` };
      assert.deepEqual(nodeSchedulingPropertiesChange(changed, nodeSnapshot(node)).map((e) => e.label), ['NodeLabelChange']);
    }),
  );
});
