/**
 * The ClusterIP range: usable addresses, KEP-3070's upper band first, explicit addresses,
 * release, and a seeded random start. Cases transcribed from kubernetes/kubernetes
 * pkg/registry/core/service/ipallocator/bitmap_test.go (TestAllocate, TestAllocateTiny,
 * TestAllocateReserved, TestAllocateSmall, Test_calculateRangeOffset).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createStream } from '../../engine/core/rng.js';
import { calculateRangeOffset, ERR_ALLOCATED, errNotInRange, ServiceIPRange } from '../../engine/api/service-ip-range.js';
import { cidrBlock, intToIp, ipToInt } from '../../engine/network/ipv4.js';

const range = (cidr: string, seed = 1) => new ServiceIPRange(cidr, createStream(seed, 'apiserver/service-ips'));

test('calculateRangeOffset: min(max(16, size/16), 256), 0 up to 16 addresses (Test_calculateRangeOffset)', () => {
  const cases: [string, number][] = [
    ['192.168.1.1/32', 0],
    ['192.168.1.1/30', 0],
    ['192.168.1.1/28', 0],
    ['192.168.1.1/27', 16],
    ['192.168.1.1/22', 64],
    ['192.168.1.1/8', 256],
  ];
  for (const [cidr, want] of cases) assert.equal(calculateRangeOffset(cidrBlock(cidr).size), want, cidr);
  assert.equal(range('10.96.0.0/12').rangeOffset, 256, "kubeadm's range: 10.96.0.1-10.96.1.0 are left to static addresses");
});

test('every usable address once, none outside the range, then full; a released address is the next one (TestAllocate)', () => {
  for (const [cidr, free, released] of [
    ['192.168.1.0/24', 254, '192.168.1.5'],
    // Upstream fills a /15 too; a /20 keeps the same path (a 256-address lower band) at a test's cost.
    ['10.0.0.0/20', 4094, '10.0.0.5'],
  ] as const) {
    const r = range(cidr);
    assert.equal(r.max, free);
    assert.equal(r.cidr, cidr);
    const { network, size } = cidrBlock(cidr);
    const found = new Set<string>();
    for (let i = 0; i < free; i++) {
      const ip = r.allocateNext();
      assert.ok(ip !== undefined, `${cidr}: full after ${i}`);
      const n = ipToInt(ip);
      assert.ok(n > network && n < network + size - 1, `${ip} is a usable address of ${cidr}`);
      assert.ok(!found.has(ip), `${ip} allocated twice`);
      found.add(ip);
    }
    assert.equal(r.allocateNext(), undefined, 'ErrFull');
    r.release(released);
    assert.equal(r.used, free - 1);
    assert.equal(r.allocateNext(), released);
  }
});

test('out of range: the network and broadcast addresses and anything outside; allocated twice: ErrAllocated (TestAllocate)', () => {
  const r = range('192.168.1.0/24');
  for (const ip of ['192.168.0.1', '192.168.1.0', '192.168.1.255', '192.168.2.2']) {
    assert.equal(r.allocate(ip), `the provided IP (${ip}) is not in the valid range. The range of valid IPs is 192.168.1.0/24`);
  }
  assert.equal(r.allocate('192.168.1.1'), undefined);
  assert.equal(r.allocate('192.168.1.1'), ERR_ALLOCATED);
  assert.equal(ERR_ALLOCATED, 'provided IP is already allocated');
  assert.equal(r.used, 1);
  // A range given with host bits is printed as Go prints the parsed network.
  assert.equal(range('10.96.7.9/12').allocate('10.95.0.1'), errNotInRange('10.95.0.1', '10.96.0.0/12'));
});

test('a /32 has no address; a /30 has two, then stays full (TestAllocateTiny, TestAllocateSmall)', () => {
  assert.equal(range('192.168.1.0/32').allocateNext(), undefined);
  const r = range('192.168.1.240/30');
  const two = new Set([r.allocateNext(), r.allocateNext()]);
  assert.deepEqual([...two].sort(), ['192.168.1.241', '192.168.1.242']);
  for (const ip of two) assert.equal(r.allocate(ip!), ERR_ALLOCATED);
  for (let i = 0; i < 100; i++) assert.equal(r.allocateNext(), undefined);
});

test('dynamic allocation fills the upper band before touching the lower one (KEP-3070, TestAllocateReserved)', () => {
  const r = range('192.168.1.0/25');
  assert.equal(r.rangeOffset, 16);
  for (let i = 0; i < r.max - r.rangeOffset; i++) {
    const ip = r.allocateNext()!;
    assert.ok(ipToInt(ip) - ipToInt('192.168.1.1') >= 16, `${ip} is in the upper band`);
  }
  for (let i = 16; i < r.max; i++) assert.ok(r.has(`192.168.1.${i + 1}`));
  // The lower band is still whole: static addresses there are all free.
  for (let i = 0; i < 16; i++) assert.equal(r.allocate(`192.168.1.${i + 1}`), undefined);
  r.release('192.168.1.10');
  assert.equal(r.allocateNext(), '192.168.1.10', 'with the upper band full, the lower band serves');
});

test('property: in any range, the first dynamic addresses are all in the upper band, distinct and inside the CIDR', () => {
  fc.assert(
    fc.property(fc.integer({ min: 12, max: 30 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (prefix, base, seed) => {
      const cidr = `${intToIp(base)}/${prefix}`;
      const r = range(cidr, seed);
      const upper = r.max - r.rangeOffset;
      const seen = new Set<string>();
      for (let i = 0; i < Math.min(upper, 40); i++) {
        const ip = r.allocateNext()!;
        assert.ok(r.offsetOf(ip) >= r.rangeOffset, `${ip} below the band of ${cidr}`);
        assert.ok(!seen.has(ip));
        seen.add(ip);
      }
    }),
    { numRuns: 200 },
  );
});

test('the random start comes from the seeded stream: same seed, same addresses; another seed, others', () => {
  const take = (seed: number) => {
    const r = range('10.96.0.0/12', seed);
    return Array.from({ length: 20 }, () => r.allocateNext());
  };
  assert.deepEqual(take(7), take(7));
  assert.notDeepEqual(take(7), take(8));
  assert.ok(take(7).every((ip) => ipToInt(ip!) >= ipToInt('10.96.1.1') && ipToInt(ip!) <= ipToInt('10.111.255.254')));
});

test('a range without a stream checks and reserves given addresses only', () => {
  const r = new ServiceIPRange('10.96.0.0/12');
  assert.equal(r.at(0), '10.96.0.1');
  assert.equal(r.allocate('10.96.0.10'), undefined);
  assert.equal(r.check('10.96.0.10'), ERR_ALLOCATED);
  assert.throws(() => r.allocateNext(), /random stream/);
});
