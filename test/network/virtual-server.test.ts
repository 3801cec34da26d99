/**
 * The virtual address kube-proxy programs for a Service is the cluster IP the API server
 * allocated (no stand-in): IPVS dh hashes it, so the real server a dh Service sends
 * everything to follows from that address.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../engine/api/types.js';
import { createStream } from '../../engine/core/rng.js';
import { ipToInt } from '../../engine/network/ipv4.js';
import { KUBE_PROXY_DEFAULTS } from '../../engine/network/kube-proxy-config.js';
import { VirtualServer } from '../../engine/network/virtual-server.js';

const endpoints = ['a', 'b', 'c', 'd', 'e'].map((p, i) => ({ podUid: p, nodeName: `w${i}`, ip: `10.244.${i}.2` }));
const service = (clusterIP: string): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { clusterIP, clusterIPs: [clusterIP], ports: [{ port: 80 }] } });

test('the VIP is the Service cluster IP; a headless Service has none', () => {
  assert.equal(new VirtualServer(service('10.102.184.128'), endpoints, 'w0', KUBE_PROXY_DEFAULTS, undefined).vip, ipToInt('10.102.184.128'));
  assert.equal(new VirtualServer(service('None'), endpoints, 'w0', KUBE_PROXY_DEFAULTS, undefined).vip, 0);
  assert.equal(new VirtualServer(undefined, [], 'w0', KUBE_PROXY_DEFAULTS, undefined).vip, 0);
});

test('IPVS dh: every client of one cluster IP reaches the same endpoint, and which one depends on the address', () => {
  const config = { ...KUBE_PROXY_DEFAULTS, mode: 'ipvs' as const, ipvs: { ...KUBE_PROXY_DEFAULTS.ipvs, scheduler: 'dh' as const } };
  const rng = createStream(1, 'dh');
  const chosen = new Set<string>();
  for (let host = 1; host <= 64; host++) {
    const vs = new VirtualServer(service(`10.96.1.${host}`), endpoints, 'w0', config, undefined);
    const first = vs.choose(0x64400001, false, 0, rng)!.podUid;
    for (let client = 2; client < 20; client++) assert.equal(vs.choose(0x64400000 + client, false, 0, rng)!.podUid, first);
    chosen.add(first);
  }
  assert.ok(chosen.size > 1, 'different cluster IPs hash to different endpoints');
});
