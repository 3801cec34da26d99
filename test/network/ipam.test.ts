import test from 'node:test';
import assert from 'node:assert/strict';
import { NodeIpam, nodePodCIDR } from '../../engine/network/ipam.js';

test('node i gets the i-th /24 of the cluster pod CIDR', () => {
  assert.equal(nodePodCIDR('172.16.0.0/16', 0), '172.16.0.0/24');
  assert.equal(nodePodCIDR('172.16.0.0/16', 3), '172.16.3.0/24');
  assert.equal(nodePodCIDR('10.244.0.0/14', 300), '10.245.44.0/24');
  assert.throws(() => nodePodCIDR('10.0.0.0/24', 1), /room for 1 nodes/);
});

test('pod IPs start at .2, are unique, and freed addresses are reused lowest first', () => {
  const ipam = new NodeIpam('172.16.1.0/24');
  assert.equal(ipam.allocate(), '172.16.1.2');
  assert.equal(ipam.allocate(), '172.16.1.3');
  assert.equal(ipam.allocate(), '172.16.1.4');
  ipam.release('172.16.1.3');
  assert.equal(ipam.allocate(), '172.16.1.3');
  const all = new Set<string>();
  for (let i = 0; i < 250; i++) {
    const ip = ipam.allocate();
    if (ip) all.add(ip);
  }
  assert.equal(all.size, 250, '253 usable addresses (.2 to .254), 3 already taken');
  assert.equal(ipam.allocate(), undefined);
});
