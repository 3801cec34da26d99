/**
 * The traffic scenarios of the library run end to end and show what their comments promise.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';

function total(obs: MemoryObserver, kind: string, name: string, metric: string): number {
  return obs.totals.find((t) => t.kind === kind && t.name === name && t.metric === metric)!.value;
}

test('external-traffic-policy.yaml: Local drops on the two nodes without a pod and never hops; Cluster hops', () => {
  const { scenario } = loadScenarioFile(repoPath('scenarios/external-traffic-policy.yaml'), { duration: '4m' });
  const obs = new MemoryObserver();
  runScenario(scenario, obs);
  const local = total(obs, 'Service', 'shop-local', 'requests');
  const dropped = total(obs, 'Service', 'shop-local', 'requests_failed_dropped_local');
  // Round robin over 4 nodes, 2 with a pod: half is dropped (up to the requests before the pods were up).
  assert.ok(Math.abs(dropped / local - 0.5) < 0.01, `dropped ${dropped} of ${local}`);
  // shop-local requests never cross nodes: one hop each way; shop-cluster's cross half the time.
  assert.ok(Math.abs(total(obs, 'Service', 'shop-local', 'latency_network_mean_ms') - 0.4) < 1e-9);
  assert.ok(total(obs, 'Service', 'shop-cluster', 'latency_network_mean_ms') > 0.5);
});

test('iptables-vs-ipvs.yaml: with 3,000 Services iptables pays ~(S+1)/2 rules per new connection; nftables a constant lookup', () => {
  const perMode = new Map<string, number>();
  for (const mode of ['iptables', 'nftables']) {
    const { scenario } = loadScenarioFile(repoPath('scenarios/iptables-vs-ipvs.yaml'), { duration: '45s', overrides: [`spec.kubeProxy.mode=${mode}`] });
    const obs = new MemoryObserver();
    runScenario(scenario, obs);
    perMode.set(mode, total(obs, 'Service', 'web', 'latency_kube_proxy_mean_ms'));
  }
  // 3,001 Services: (3001 + 1)/2 KUBE-SERVICES rules on average, (12 + 1)/2 KUBE-SVC rules, 2 KUBE-SEP rules, 20 ns each.
  const iptables = 20e-9 * ((3001 + 1) / 2 + (12 + 1) / 2 + 2) * 1000;
  assert.ok(Math.abs(perMode.get('iptables')! - iptables) / iptables < 0.01, `iptables ${perMode.get('iptables')} ms vs ${iptables}`);
  assert.ok(Math.abs(perMode.get('nftables')! - 0.002) < 1e-9, `nftables ${perMode.get('nftables')} ms`);
});
