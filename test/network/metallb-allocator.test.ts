/**
 * MetalLB's allocator (internal/allocator/allocator.go): pools in name order (kubesim's choice
 * for upstream's map order), `spec.addresses` entries in order and the lowest free address
 * within each, autoAssign honoured only by Allocate, avoidBuggyIPs, and upstream's error
 * messages. Hand-computed sequences, and a fast-check property against a naive model.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IPAddressPool, Service } from '../../engine/api/types.js';
import { intToIp, ipToInt } from '../../engine/network/ipv4.js';
import { MetalLbAllocator, type Allocation } from '../../engine/network/metallb-allocator.js';
import { metalLbPools, poolFor } from '../../engine/network/metallb-pools.js';
import { desiredLbIPs, goQuoteList, parseIP } from '../../engine/network/metallb-requests.js';

function pool(name: string, addresses: string[], extra: Partial<IPAddressPool['spec']> = {}): IPAddressPool {
  return { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace: 'metallb-system' }, spec: { addresses, ...extra } };
}

/** The address an allocation gave, or its error. */
function show(a: Allocation): string {
  return 'error' in a ? `error: ${a.error}` : `${a.ips.map(intToIp).join(',')} (${a.pool})`;
}

test('allocation order: pools by name, entries in spec order, lowest free first; autoAssign false only on request; avoidBuggyIPs', () => {
  const pools = metalLbPools([
    pool('z-last', ['10.0.9.0/31']),
    pool('a-first', ['10.0.1.0-10.0.1.1', '10.0.0.5/32']),
    pool('m-manual', ['10.0.5.0/32'], { autoAssign: false }),
    pool('buggy', ['10.0.2.254/31'], { avoidBuggyIPs: true }),
  ]);
  assert.deepEqual(pools.map((p) => p.name), ['a-first', 'buggy', 'm-manual', 'z-last']);
  const a = new MetalLbAllocator(pools);
  assert.equal(show(a.allocate('s1')), '10.0.1.0 (a-first)');
  assert.equal(show(a.allocate('s2')), '10.0.1.1 (a-first)');
  // The second entry comes after the first, though its address is lower.
  assert.equal(show(a.allocate('s3')), '10.0.0.5 (a-first)');
  // 10.0.2.254/31 is .254 and .255; .255 confuses buggy firmware and is skipped.
  assert.equal(show(a.allocate('s4')), '10.0.2.254 (buggy)');
  // m-manual does not auto-assign: z-last next.
  assert.equal(show(a.allocate('s5')), '10.0.9.0 (z-last)');
  assert.equal(show(a.allocateFromPool('s6', 'm-manual')), '10.0.5.0 (m-manual)');
  assert.equal(show(a.allocateFromPool('s7', 'm-manual')), 'error: no available IPs in pool "m-manual" for ipv4 IPFamily');
  assert.equal(show(a.allocateFromPool('s7', 'nope')), 'error: unknown pool "nope"');
  // A Service that has an address keeps it.
  assert.equal(show(a.allocate('s1')), '10.0.1.0 (a-first)');
  assert.equal(show(a.allocateFromPool('s1', 'z-last')), '10.0.1.0 (a-first)');
  assert.equal(a.unassign('s2'), true);
  assert.equal(a.unassign('s2'), false);
  assert.equal(show(a.allocate('s8')), '10.0.1.1 (a-first)');
  assert.equal(show(a.assign('s9', [ipToInt('10.0.9.0')])), `error: can't change sharing key for "s9", address also in use by s5`);
  assert.equal(show(a.assign('s9', [ipToInt('10.0.2.255')])), 'error: ["10.0.2.255"] is not allowed in config');
  assert.equal(show(a.assign('s9', [ipToInt('10.0.9.1')])), '10.0.9.1 (z-last)');
  assert.equal(show(a.assign('s9', [ipToInt('10.0.9.1')])), '10.0.9.1 (z-last)', 'idempotent for the holder');
  assert.equal(show(a.allocate('s10')), 'error: no available IPs');
  assert.equal(a.pool('s9'), 'z-last');
  assert.equal(a.pool('s10'), '');
  assert.equal(poolFor(pools, '10.0.0.5')?.name, 'a-first');
  assert.equal(poolFor(pools, '10.0.2.255'), undefined);
  assert.equal(poolFor(pools, 'lb.example.com'), undefined);
});

test('a CIDR entry covers every address of its block, network and broadcast included, unless avoidBuggyIPs', () => {
  const plain = new MetalLbAllocator(metalLbPools([pool('p', ['10.0.3.0/30'])]));
  assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((k) => show(plain.allocate(k))), ['10.0.3.0 (p)', '10.0.3.1 (p)', '10.0.3.2 (p)', '10.0.3.3 (p)', 'error: no available IPs']);
  const avoid = new MetalLbAllocator(metalLbPools([pool('p', ['10.0.3.0/30', '10.0.4.255-10.0.5.0'], { avoidBuggyIPs: true })]));
  assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => show(avoid.allocate(k))), ['10.0.3.1 (p)', '10.0.3.2 (p)', '10.0.3.3 (p)', 'error: no available IPs']);
});

test('property: allocate gives the lowest free address of the first auto-assign pool (naive model), never one another Service holds', () => {
  const spec = fc.array(
    fc.record({ start: fc.integer({ min: 0, max: 20 }), size: fc.integer({ min: 1, max: 4 }), autoAssign: fc.boolean() }),
    { minLength: 1, maxLength: 4 },
  );
  const ops = fc.array(fc.oneof(fc.record({ op: fc.constant('allocate' as const), key: fc.integer({ min: 0, max: 9 }) }), fc.record({ op: fc.constant('unassign' as const), key: fc.integer({ min: 0, max: 9 }) })), { maxLength: 40 });
  fc.assert(
    fc.property(spec, ops, (specs, steps) => {
      // Pools p0, p1, ... (name order = index order), disjoint blocks 10.1.<i>.<start..start+size-1>.
      const manifests = specs.map((s, i) => pool(`p${i}`, [`10.1.${i}.${s.start}-10.1.${i}.${s.start + s.size - 1}`], { autoAssign: s.autoAssign }));
      const a = new MetalLbAllocator(metalLbPools(manifests));
      const model = new Map<string, number>();
      for (const { op, key } of steps) {
        const k = `s${key}`;
        if (op === 'unassign') {
          assert.equal(a.unassign(k), model.delete(k));
          continue;
        }
        const held = new Set([...model].filter(([other]) => other !== k).map(([, ip]) => ip));
        let expected = model.get(k);
        if (expected === undefined) {
          search: for (let i = 0; i < specs.length; i++) {
            if (!specs[i]!.autoAssign) continue;
            for (let h = specs[i]!.start; h < specs[i]!.start + specs[i]!.size; h++) {
              const ip = ipToInt(`10.1.${i}.${h}`);
              if (!held.has(ip)) {
                expected = ip;
                break search;
              }
            }
          }
        }
        const got = a.allocate(k);
        if (expected === undefined) assert.deepEqual(got, { error: 'no available IPs' });
        else {
          assert.deepEqual('ips' in got && got.ips, [expected]);
          model.set(k, expected);
        }
      }
    }),
  );
});

test("requests as getDesiredLbIPs reads them, with Go's %q lists", () => {
  const svc = (annotations: Record<string, string>, loadBalancerIP?: string): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', annotations },
    spec: { ports: [{ port: 80 }], ...(loadBalancerIP !== undefined && { loadBalancerIP }) },
  });
  assert.equal(goQuoteList(['1.2.3.4', '5.6.7.8']), '["1.2.3.4" "5.6.7.8"]');
  assert.deepEqual(desiredLbIPs(svc({})), { ips: [] });
  const trimmed = desiredLbIPs(svc({ 'metallb.io/loadBalancerIPs': ' 10.0.0.1 ' }));
  assert.deepEqual('ips' in trimmed && trimmed.ips.map((ip) => ip.text), ['10.0.0.1']);
  // The stable annotation wins over the deprecated one.
  const both = desiredLbIPs(svc({ 'metallb.io/loadBalancerIPs': '10.0.0.1', 'metallb.universe.tf/loadBalancerIPs': '10.0.0.2' }));
  assert.deepEqual('ips' in both && both.ips.map((ip) => ip.text), ['10.0.0.1']);
  const dual = desiredLbIPs(svc({ 'metallb.io/loadBalancerIPs': '10.0.0.1,2001:db8::1' }));
  assert.equal('family' in dual && dual.family, 'dual');
  assert.deepEqual(desiredLbIPs(svc({ 'metallb.io/loadBalancerIPs': '1.1.1.1,1.1.1.2,1.1.1.3' })), {
    error: 'IPFamilyForAddresses: invalid ips length 3 ["1.1.1.1" "1.1.1.2" "1.1.1.3"]',
  });
  assert.deepEqual(desiredLbIPs(svc({ 'metallb.io/loadBalancerIPs': '10.0.0.1,x' })), { error: 'invalid metallb.io/loadBalancerIPs: "10.0.0.1,x"' });
  assert.deepEqual(desiredLbIPs(svc({}, '010.0.0.1')), { error: 'invalid spec.loadBalancerIP "010.0.0.1"' });
  assert.deepEqual(parseIP('::ffff:10.0.0.1'), { text: '10.0.0.1', family: 'ipv4', value: ipToInt('10.0.0.1') });
  assert.equal(parseIP('2001:db8::1')?.family, 'ipv6');
});
