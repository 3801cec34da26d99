/**
 * sessionAffinity ClientIP: a client keeps its endpoint while it reconnects within the timeout.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../engine/api/types.js';
import { createStream } from '../../engine/core/rng.js';
import { KUBE_PROXY_DEFAULTS, PROXY_MODES } from '../../engine/network/kube-proxy-config.js';
import { VirtualServer } from '../../engine/network/virtual-server.js';

const endpoints = ['a', 'b', 'c', 'd'].map((p, i) => ({ podUid: p, nodeName: `w${i}`, ip: `10.244.${i}.2` }));

function service(spec: Partial<Service['spec']>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } };
}

for (const mode of PROXY_MODES) {
  test(`${mode}: ClientIP affinity keeps each client on one endpoint within the timeout, and lets go after it`, () => {
    const config = { ...KUBE_PROXY_DEFAULTS, mode };
    const vs = new VirtualServer(service({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }), endpoints, 'w0', config, undefined);
    const rng = createStream(3, mode);
    const spread = new Set<string>();
    for (let client = 0; client < 50; client++) {
      const ip = 0x64400000 + client;
      const first = vs.choose(ip, false, 0, rng)!.podUid;
      spread.add(first);
      // Reconnecting every 50 s keeps the entry alive past the 60 s timeout of one gap.
      for (let t = 50; t <= 500; t += 50) assert.equal(vs.choose(ip, false, t, rng)!.podUid, first);
    }
    assert.ok(spread.size > 1, 'clients are balanced over endpoints');
    // After a silence longer than the timeout, clients are balanced anew: some of 50 change endpoint.
    let changed = 0;
    for (let client = 0; client < 50; client++) {
      const ip = 0x64400000 + client;
      const before = vs.choose(ip, false, 1000, rng)!.podUid;
      if (vs.choose(ip, false, 1000 + 61, rng)!.podUid !== before) changed++;
    }
    assert.ok(changed > 0, 'affinity expired');
  });
}

test('without sessionAffinity a client is balanced anew on every connection', () => {
  const vs = new VirtualServer(service({}), endpoints, 'w0', KUBE_PROXY_DEFAULTS, undefined);
  const rng = createStream(4, 'none');
  const seen = new Set<string>();
  for (let k = 0; k < 100; k++) seen.add(vs.choose(0x64400001, false, k, rng)!.podUid);
  assert.equal(seen.size, endpoints.length);
});

test('the default affinity timeout is 10800 s', () => {
  const vs = new VirtualServer(service({ sessionAffinity: 'ClientIP' }), endpoints, 'w0', KUBE_PROXY_DEFAULTS, undefined);
  assert.equal(vs.affinity!.timeout, 10800);
});
