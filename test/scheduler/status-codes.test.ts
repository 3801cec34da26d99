/**
 * The status code of each Filter failure of the plugins whose codes this file pins (Kubernetes
 * 1.32), transcribed from their upstream tests: node_unschedulable_test.go TestNodeUnschedulable,
 * node_name_test.go TestNodeName, node_ports_test.go TestNodePorts ("same udp port",
 * "other port"). PodTopologySpread's missing topology key follows filtering.go Filter (a node
 * without the key is UnschedulableAndUnresolvable, a skew too large Unschedulable). The others
 * are pinned next to their plugin's tests: TaintToleration and InterPodAffinity in
 * plugins.test.ts, NodeAffinity there too, NodeResourcesFit in node-resources.test.ts,
 * VolumeBinding in volume-binding.test.ts, DefaultPreemption in preemption.test.ts.
 * UnschedulableAndUnresolvable keeps the node out of preemption's candidates.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../engine/api/types.js';
import { nodeName } from '../../engine/scheduler/plugins/node-name.js';
import { nodePorts } from '../../engine/scheduler/plugins/node-ports.js';
import { nodeUnschedulable } from '../../engine/scheduler/plugins/node-unschedulable.js';
import { podTopologySpread } from '../../engine/scheduler/plugins/pod-topology-spread.js';
import { makeNode, makePod, runFilter } from './helpers.js';

test('node_unschedulable_test.go TestNodeUnschedulable', () => {
  const cordoned = [makeNode('n', {}, { unschedulable: true })];
  assert.deepEqual(runFilter(nodeUnschedulable(), makePod(), cordoned), [{ code: 'UnschedulableAndUnresolvable', message: 'node(s) were unschedulable' }], 'Does not schedule pod to unschedulable node');
  assert.deepEqual(runFilter(nodeUnschedulable(), makePod(), [makeNode('n')]), [null], 'Schedule pod to normal node');
  const tolerant = makePod([], { tolerations: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
  assert.deepEqual(runFilter(nodeUnschedulable(), tolerant, cordoned), [null], 'Schedule pod with toleration to unschedulable node');
});

test('node_name_test.go TestNodeName', () => {
  const foo = [makeNode('foo')];
  assert.deepEqual(runFilter(nodeName(), makePod(), foo), [null], 'no host specified');
  assert.deepEqual(runFilter(nodeName(), makePod([], { nodeName: 'foo' }), foo), [null], 'host matches');
  assert.deepEqual(runFilter(nodeName(), makePod([], { nodeName: 'bar' }), foo), [{ code: 'UnschedulableAndUnresolvable', message: "node(s) didn't match the requested node name" }], "host doesn't match");
});

/** node_ports_test.go newPod: one container asking for `protocol/hostIP/port` host ports. */
function withHostPorts(pod: Pod, ...ports: string[]): Pod {
  pod.spec.containers[0]!.ports = ports.map((p) => {
    const [protocol, hostIP, port] = p.split('/');
    return { containerPort: Number(port), hostPort: Number(port), hostIP, protocol: protocol as 'UDP' | 'TCP' };
  }) as never;
  return pod;
}

test('node_ports_test.go TestNodePorts: "same udp port" is Unschedulable (a bound pod may leave), "other port" fits', () => {
  const nodes = [makeNode('n')];
  const existing = (port: string) => [withHostPorts(makePod([], { name: 'm0', nodeName: 'n' }), port)];
  assert.deepEqual(runFilter(nodePorts(), withHostPorts(makePod([], { name: 'm1' }), 'UDP/127.0.0.1/8080'), nodes, existing('UDP/127.0.0.1/8080')), [
    { code: 'Unschedulable', message: "node(s) didn't have free ports for the requested pod ports" },
  ]);
  assert.deepEqual(runFilter(nodePorts(), withHostPorts(makePod([], { name: 'm1' }), 'UDP/127.0.0.1/8080'), nodes, existing('UDP/127.0.0.1/9090')), [null]);
});

test('PodTopologySpread Filter: a node without the topology key is UnschedulableAndUnresolvable; a skew too large is Unschedulable', () => {
  const pod = makePod([], {
    labels: { foo: '' },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } }],
  } as never);
  const nodes = [makeNode('a', {}, { labels: { zone: 'z1' } }), makeNode('b', {}, { labels: { zone: 'z2' } }), makeNode('c')];
  const existing = [makePod([], { name: 'x', nodeName: 'a', labels: { foo: '' } })];
  // z1 holds 1 matching pod, z2 none: on a, 1 + 1 - 0 = 2 > maxSkew 1.
  assert.deepEqual(runFilter(podTopologySpread(), pod, nodes, existing), [
    { code: 'Unschedulable', message: "node(s) didn't match pod topology spread constraints" },
    null,
    { code: 'UnschedulableAndUnresolvable', message: "node(s) didn't match pod topology spread constraints (missing required label)" },
  ]);
});
