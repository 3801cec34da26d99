/**
 * convergeBalancer, transcribed from metallb controller/controller_test.go: TestControllerMutation's
 * IPv4 cases (pools pool1 1.2.3.0/31 auto-assign and pool2 3.4.5.6/32 not; the IPv6 and
 * serviceAllocation pools are left out, as kubesim models neither), each run under the key
 * "test" in the listed order and then in shuffled orders, since upstream requires every case to
 * give the same end state whatever came before it; and TestDeleteRecyclesIP. As upstream's
 * test, `want: undefined` means the Service is left as it was, `warning` that a Warning event
 * was recorded.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IPAddressPool, LoadBalancerIngress, Service } from '../../engine/api/types.js';
import { MetalLbAllocator } from '../../engine/network/metallb-allocator.js';
import { convergeBalancer } from '../../engine/network/metallb-converge.js';
import { metalLbPools } from '../../engine/network/metallb-pools.js';

function pool(name: string, addresses: string[], autoAssign: boolean): IPAddressPool {
  return { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name }, spec: { addresses, autoAssign } };
}

const POOLS = metalLbPools([pool('pool1', ['1.2.3.0/31'], true), pool('pool2', ['3.4.5.6/32'], false)]);

interface Input {
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  clusterIPs?: string[];
  loadBalancerIP?: string;
  annotations?: Record<string, string>;
  ingress?: LoadBalancerIngress[];
}

interface Case {
  desc: string;
  /** undefined: the Service was deleted. */
  in?: Input;
  /** The status addresses after converging; undefined: the Service is not changed. */
  want?: string[];
  warning?: boolean;
}

const assigned = (...ips: string[]) => ips.map((ip) => ({ ip }));
const IPS = 'metallb.io/loadBalancerIPs';
const POOL = 'metallb.io/address-pool';

const CASES: Case[] = [
  { desc: 'deleted balancer' },
  { desc: 'simple non-LoadBalancer', in: { type: 'ClusterIP' } },
  { desc: 'simple LoadBalancer', in: {}, want: ['1.2.3.0'] },
  { desc: 'request specific IP', in: { loadBalancerIP: '1.2.3.1' }, want: ['1.2.3.1'] },
  { desc: 'request specific IP via custom annotation', in: { annotations: { [IPS]: '1.2.3.1' } }, want: ['1.2.3.1'] },
  { desc: 'request IP from both svc.spec.LoadBalancerIP and custom annotation', in: { annotations: { [IPS]: '1.2.3.1' }, loadBalancerIP: '1.2.3.2' }, warning: true },
  { desc: 'request invalid IP', in: { loadBalancerIP: 'please sir may I have an IP address thank you' }, warning: true },
  { desc: 'incompatible ip and address pool annotations', in: { annotations: { [IPS]: '1.2.3.1', [POOL]: 'pool2' } }, warning: true },
  { desc: 'request invalid IP via custom annotation', in: { annotations: { [IPS]: 'please sir may I have an IP address thank you' } }, warning: true },
  { desc: 'request two IPs from same ip family via custom annotation', in: { annotations: { [IPS]: '1.2.3.1,1.2.3.2' } }, warning: true },
  { desc: 'request infeasible IP', in: { loadBalancerIP: '1.2.3.4', ingress: assigned('1.2.3.1') }, want: [], warning: true },
  { desc: 'request IP from specific pool', in: { annotations: { [POOL]: 'pool1' } }, want: ['1.2.3.0'] },
  { desc: 'switch to a different specific pool', in: { annotations: { [POOL]: 'pool2' }, ingress: assigned('1.2.3.0') }, want: ['3.4.5.6'] },
  { desc: 'unknown pool requested', in: { annotations: { [POOL]: 'does-not-exist' } }, warning: true },
  { desc: 'invalid IP assigned', in: { ingress: assigned('2.3.4.5') }, want: ['1.2.3.0'] },
  { desc: 'invalid ingress state', in: { ingress: [{ hostname: 'foo.bar.local' }, { ip: '10.10.10.10' }] }, want: ['1.2.3.0'] },
  { desc: 'former LoadBalancer, now NodePort', in: { type: 'NodePort', ingress: assigned('1.2.3.0') }, want: [] },
  { desc: 'request layer2 service', in: { loadBalancerIP: '3.4.5.6' }, want: ['3.4.5.6'] },
  { desc: 'No ClusterIP', in: { clusterIPs: [] } },
  { desc: 'request IP from wrong ip-family (ipv4)', in: { loadBalancerIP: '1.2.3.1', clusterIPs: ['3000::1'] }, warning: true },
  { desc: 'request IP from wrong ip-family (ipv4) via custom annotation', in: { annotations: { [IPS]: '1.2.3.1' }, clusterIPs: ['3000::1'] }, warning: true },
  { desc: 'request IP from wrong ip-family (ipv6)', in: { loadBalancerIP: '1000::' }, warning: true },
  { desc: 'request IP from wrong ip-family (ipv6) via custom annotation', in: { annotations: { [IPS]: '1000::' } }, warning: true },
  { desc: 'IP from wrong ip-family (ipv6) assigned', in: { ingress: assigned('1000::') }, want: ['1.2.3.0'] },
  { desc: "simple LoadBalancer, ips already assigned but can't determine family", in: { ingress: assigned('1.2.3.0', '1.2.3.1', '1.2.3.2') }, want: ['1.2.3.0'], warning: true },
];

function service(input: Input): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'test', ...(input.annotations && { annotations: { ...input.annotations } }) },
    spec: {
      type: input.type ?? 'LoadBalancer',
      ports: [{ port: 80 }],
      clusterIPs: input.clusterIPs ?? ['1.2.3.4'],
      ...(input.loadBalancerIP !== undefined && { loadBalancerIP: input.loadBalancerIP }),
    },
    status: { loadBalancer: input.ingress ? { ingress: structuredClone(input.ingress) } : {} },
  };
}

const addresses = (svc: Service) => (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname);

/** SetBalancer as the test sees it: the status addresses if the Service changed, and whether a Warning was recorded. */
function setBalancer(allocator: MetalLbAllocator, c: Case): { got?: string[]; warning: boolean } {
  if (!c.in) {
    allocator.unassign('test');
    return { warning: false };
  }
  const svc = service(c.in);
  let warning = false;
  convergeBalancer(allocator, 'test', svc, (type) => (warning ||= type === 'Warning'));
  const before = addresses(service(c.in));
  const after = addresses(svc);
  const changed = before.length !== after.length || before.some((ip, i) => ip !== after[i]);
  return { ...(changed && { got: after as string[] }), warning };
}

test('TestControllerMutation (IPv4 cases): each case converges to the same end state, in order and shuffled', () => {
  const allocator = new MetalLbAllocator(POOLS);
  for (const c of CASES) assert.deepEqual(setBalancer(allocator, c), { ...(c.want && { got: c.want }), warning: c.warning ?? false }, c.desc);
  fc.assert(
    fc.property(fc.shuffledSubarray(CASES, { minLength: CASES.length }), (order) => {
      for (const c of order) assert.deepEqual(setBalancer(allocator, c), { ...(c.want && { got: c.want }), warning: c.warning ?? false }, c.desc);
    }),
    { numRuns: 50 },
  );
});

test('TestDeleteRecyclesIP: a second Service waits for the only address, and gets it once the first is deleted', () => {
  const allocator = new MetalLbAllocator(metalLbPools([pool('default', ['1.2.3.0/32'], true)]));
  const svc1 = service({});
  assert.equal(convergeBalancer(allocator, 'test', svc1, () => {}), true);
  assert.deepEqual(addresses(svc1), ['1.2.3.0']);
  const svc2 = service({});
  const messages: string[] = [];
  assert.equal(convergeBalancer(allocator, 'test2', svc2, (_, reason, message) => messages.push(`${reason}: ${message}`)), false);
  assert.deepEqual(addresses(svc2), [], 'not mutated: no address left');
  assert.deepEqual(messages, ['AllocationFailed: Failed to allocate IP for "test2": no available IPs']);
  // Deleting the first (SetBalancer with nil) frees the address; converging svc2 again takes it.
  assert.equal(allocator.unassign('test'), true);
  assert.equal(convergeBalancer(allocator, 'test2', svc2, () => {}), true);
  assert.deepEqual(addresses(svc2), ['1.2.3.0']);
  assert.deepEqual(svc2.metadata.annotations, { 'metallb.io/ip-allocated-from-pool': 'default' });
});
