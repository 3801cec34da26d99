/**
 * The service controller's node predicates (cloud-provider controllers/service/controller.go
 * stableNodeSetPredicates): a node labelled node.kubernetes.io/exclude-from-external-load-balancers
 * with any value but a false one, or tainted ToBeDeletedByClusterAutoscaler, is never a cloud
 * load balancer's backend, whatever the nodes' health.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Labels, Service } from '../../engine/api/types.js';
import { Simulation } from '../../engine/core/simulation.js';
import { CloudLoadBalancerEntry } from '../../engine/network/cloud-load-balancer.js';
import type { KubeProxies } from '../../engine/network/kube-proxy.js';
import {
  LABEL_NODE_EXCLUDE_BALANCERS,
  loadBalancerHosts,
  nodeIncludedPredicate,
  nodeUnTaintedPredicate,
  TO_BE_DELETED_TAINT,
} from '../../engine/network/load-balancer-hosts.js';
import type { ServiceEntry } from '../../engine/network/service-table.js';

const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** Go's strconv.ParseBool, written out from strconv/atob.go: true, false, or an error (undefined). */
function parseBool(s: string): boolean | undefined {
  switch (s) {
    case '1': case 't': case 'T': case 'true': case 'TRUE': case 'True':
      return true;
    case '0': case 'f': case 'F': case 'false': case 'FALSE': case 'False':
      return false;
    default:
      return undefined;
  }
}

/** controller.go nodeIncludedPredicate: excluded when labelled, unless the value parses as false. */
function excluded(labels: Labels, taints: readonly { key: string }[]): boolean {
  const tainted = taints.some((t) => t.key === 'ToBeDeletedByClusterAutoscaler');
  return tainted || (EXCLUDE in labels && parseBool(labels[EXCLUDE]!) !== false);
}

test('the well-known names', () => {
  assert.equal(LABEL_NODE_EXCLUDE_BALANCERS, EXCLUDE);
  assert.equal(TO_BE_DELETED_TAINT, 'ToBeDeletedByClusterAutoscaler');
});

test('nodeIncludedPredicate: absent or false includes; kubeadm\'s "", true and unparsable values exclude', () => {
  assert.equal(nodeIncludedPredicate({}), true);
  assert.equal(nodeIncludedPredicate({ 'node-role.kubernetes.io/control-plane': '' }), true, 'the role label alone does not exclude');
  for (const v of ['false', 'False', 'FALSE', 'f', 'F', '0']) assert.equal(nodeIncludedPredicate({ [EXCLUDE]: v }), true, v);
  for (const v of ['', 'true', 'True', 'TRUE', 't', 'T', '1', 'yes', 'no', 'off', 'fAlse']) assert.equal(nodeIncludedPredicate({ [EXCLUDE]: v }), false, v);
});

test('nodeUnTaintedPredicate: the cluster autoscaler taint excludes, whatever its effect; other taints do not', () => {
  assert.equal(nodeUnTaintedPredicate([]), true);
  assert.equal(nodeUnTaintedPredicate([{ key: 'node-role.kubernetes.io/control-plane' }]), true);
  assert.equal(nodeUnTaintedPredicate([{ key: TO_BE_DELETED_TAINT }]), false);
  assert.deepEqual(
    loadBalancerHosts([
      { labels: { [EXCLUDE]: '' }, taints: [] },
      { labels: {}, taints: [] },
      { labels: {}, taints: [{ key: TO_BE_DELETED_TAINT }] },
      { labels: { [EXCLUDE]: 'false' }, taints: [] },
    ]),
    [1, 3],
  );
});

const node = fc.record({
  labels: fc.oneof(
    fc.constant<Labels>({}),
    fc.constantFrom('', 'true', 'false', 'False', '0', '1', 't', 'F', 'yes').map((v): Labels => ({ [EXCLUDE]: v })),
    fc.constant<Labels>({ 'node-role.kubernetes.io/control-plane': '' }),
  ),
  taints: fc.constantFrom([], [{ key: 'ToBeDeletedByClusterAutoscaler' }], [{ key: 'node-role.kubernetes.io/control-plane' }]),
});

function lbService(): ServiceEntry {
  const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
  return { index: 0, service, ready: [], readyUids: new Set() };
}

test('property: the cloud LB never sends a connection to an excluded node, healthy or not, and always to some backend if one exists', () => {
  fc.assert(
    fc.property(
      fc.array(node, { minLength: 1, maxLength: 6 }),
      // Power failures: [node, down at, up at] (seconds); probes every 8 s (Cluster), so up to 3 minutes.
      fc.array(fc.tuple(fc.nat(5), fc.integer({ min: 0, max: 180 }), fc.integer({ min: 0, max: 180 })), { maxLength: 6 }),
      fc.constantFrom('roundRobin' as const, 'random' as const),
      fc.integer({ min: 1, max: 1000 }),
      (nodes, failures, selection, seed) => {
        const sim = new Simulation(seed);
        const nodeNames = nodes.map((_, i) => `n${i}`);
        const nodeDown = new Uint8Array(nodes.length);
        for (const [i, down, up] of failures) {
          if (i >= nodes.length) continue;
          sim.schedule(down, () => (nodeDown[i] = 1));
          sim.schedule(Math.max(down, up), () => (nodeDown[i] = 0));
        }
        const hosts = loadBalancerHosts(nodes);
        const eligible = nodes.map((n, i) => (excluded(n.labels, n.taints) ? -1 : i)).filter((i) => i >= 0);
        assert.deepEqual(hosts, eligible);
        // Cluster policy: the probes read only nodeDown, never kube-proxy.
        const lb = new CloudLoadBalancerEntry({ sim, proxies: {} as KubeProxies, service: lbService(), nodes: hosts, nodeNames, nodeDown, hop: 0.001, selection, rng: sim.stream('lb') });
        for (let t = 0.5; t <= 200; t += 0.5) {
          sim.run({ until: t });
          for (let k = 0; k < 3; k++) {
            const chosen = lb.nodeFor();
            if (eligible.length === 0) assert.equal(chosen, -1);
            else assert.ok(eligible.includes(chosen), `t=${t}: node ${chosen} is not a backend (${eligible.join(', ')})`);
            if (chosen >= 0) assert.equal(lb.inPool[chosen] === 1 || eligible.every((i) => !lb.inPool[i]), true, 'the pool first, every backend only when none is healthy');
          }
        }
        for (let i = 0; i < nodes.length; i++) if (!eligible.includes(i)) assert.equal(lb.inPool[i], 0, `excluded node ${i} never joins the pool`);
      },
    ),
    { numRuns: 100 },
  );
});
