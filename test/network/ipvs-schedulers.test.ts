/**
 * IPVS schedulers against the Linux kernel's semantics (net/netfilter/ipvs/ip_vs_*.c).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ipvsScheduler, type RealServers } from '../../engine/network/ipvs-schedulers.js';
import { runTestScenario } from '../helpers/scenario.js';

function servers(weights: number[], active: number[] = weights.map(() => 0)): RealServers & { active: (i: number) => number; counts: number[] } {
  const counts = active.slice();
  return {
    count: weights.length,
    weight: (i) => weights[i]!,
    active: (i) => counts[i]!,
    address: (i) => 0x0af40000 + i + 2,
    counts,
  };
}

const same = () => -1;

test('rr cycles through the real servers exactly, in list order', () => {
  const rs = servers([1, 1, 1, 1]);
  const rr = ipvsScheduler('rr');
  rr.reset(rs, same);
  const picks = Array.from({ length: 12 }, () => rr.pick(rs, 0, 0));
  assert.deepEqual(picks, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
});

test('rr skips a server of weight 0 (quiesced)', () => {
  const rs = servers([1, 0, 1]);
  const rr = ipvsScheduler('rr');
  assert.deepEqual(Array.from({ length: 4 }, () => rr.pick(rs, 0, 0)), [0, 2, 0, 2]);
});

test('wrr interleaves by weight as ip_vs_wrr.c does: weights 4,3,2 give A A B A B C A B C', () => {
  const rs = servers([4, 3, 2]);
  const wrr = ipvsScheduler('wrr');
  wrr.reset(rs, same);
  assert.deepEqual(Array.from({ length: 9 }, () => wrr.pick(rs, 0, 0)), [0, 0, 1, 0, 1, 2, 0, 1, 2]);
});

test('lc picks the server with the fewest active connections, the first one on a tie', () => {
  const lc = ipvsScheduler('lc');
  assert.equal(lc.pick(servers([1, 1, 1], [3, 1, 2]), 0, 0), 1);
  assert.equal(lc.pick(servers([1, 1, 1], [2, 1, 1]), 0, 0), 1);
  // Filling up: always the least loaded one.
  const rs = servers([1, 1, 1]);
  for (let k = 0; k < 9; k++) rs.counts[lc.pick(rs, 0, 0)]!++;
  assert.deepEqual(rs.counts, [3, 3, 3]);
});

test('wlc weighs connections by server weight; sed counts the new connection; nq takes an idle server first', () => {
  // wlc: 4/2 = 2 vs 3/1 = 3: the heavier server wins despite more connections.
  assert.equal(ipvsScheduler('wlc').pick(servers([1, 2], [3, 4]), 0, 0), 1);
  // sed: (1+1)/1 = 2 vs (2+1)/2 = 1.5.
  assert.equal(ipvsScheduler('sed').pick(servers([1, 2], [1, 2]), 0, 0), 1);
  // nq: the idle server even if sed would prefer the other: (0+1)/1 = 1 vs (1+1)/4 = 0.5.
  assert.equal(ipvsScheduler('nq').pick(servers([4, 1], [1, 0]), 0, 0), 1);
});

test('sh sends a source address to one server always, and spreads addresses over all servers', () => {
  const rs = servers([1, 1, 1]);
  const sh = ipvsScheduler('sh');
  sh.reset(rs, same);
  const seen = new Set<number>();
  for (let ip = 0x64400000; ip < 0x64400000 + 256; ip++) {
    const first = sh.pick(rs, ip, 0);
    for (let k = 0; k < 5; k++) assert.equal(sh.pick(rs, ip, 0), first);
    seen.add(first);
  }
  assert.deepEqual([...seen].sort(), [0, 1, 2]);
});

test('dh sends everything for one virtual address to one server', () => {
  const rs = servers([1, 1, 1]);
  const dh = ipvsScheduler('dh');
  dh.reset(rs, same);
  const vip = 0x0a600001;
  const first = dh.pick(rs, 1, vip);
  for (let ip = 0; ip < 100; ip++) assert.equal(dh.pick(rs, 0x64400000 + ip, vip), first);
});

test('mh (Maglev) keeps a client on one server and, when a server goes, moves only its clients', () => {
  const before = servers([1, 1, 1, 1]);
  const mh = ipvsScheduler('mh');
  mh.reset(before, same);
  const clients = Array.from({ length: 2000 }, (_, i) => 0x64400000 + i);
  const was = clients.map((ip) => mh.pick(before, ip, 0));
  for (const [k, ip] of clients.entries()) assert.equal(mh.pick(before, ip, 0), was[k]);
  // Server 3 has weight 0 now (gone): clients of 0-2 stay.
  const after = servers([1, 1, 1, 0]);
  mh.reset(after, same);
  let moved = 0;
  clients.forEach((ip, k) => {
    const now = mh.pick(after, ip, 0);
    assert.notEqual(now, 3);
    if (was[k] !== 3 && now !== was[k]) moved++;
  });
  // Maglev's disruption is small but not zero (NSDI 2016, section 5.3): under 5% of the others here.
  assert.ok(moved < 0.05 * clients.length, `${moved} clients of surviving servers moved`);
});

test('end to end, ipvs rr through one node spreads connections over the pods exactly in turn', () => {
  const { obs } = runTestScenario({ replicas: 3, duration: '1m', loadStart: '20s' }, [
    'spec.kubeProxy={mode: ipvs, ipvs: {scheduler: rr}}',
    'spec.load[0].target.nodes=[w1]',
    'spec.load[0].arrivals={type: constant, rate: 50}',
  ]);
  const served = obs.totals.filter((t) => t.kind === 'Pod' && t.metric === 'requests_served').map((t) => t.value);
  assert.equal(served.length, 3);
  assert.ok(Math.max(...served) - Math.min(...served) <= 1, `per pod ${served}`);
});
