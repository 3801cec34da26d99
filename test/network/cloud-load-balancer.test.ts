/**
 * LoadBalancer Services through a cloud load balancer: new connections spread over the nodes
 * that pass the LB's health checks; under externalTrafficPolicy Local the LB probes each node's
 * healthCheckNodePort, so nodes without a ready local endpoint (or down) get no traffic once
 * they fail `unhealthyThreshold` checks. Nodes labelled exclude-from-external-load-balancers
 * (the control plane, by kubeadm) are not backends at all.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { CLOUD_LB_HEALTH_CHECKS } from '../../engine/network/cloud-load-balancer.js';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile, loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';
import { runTestScenario, testScenarioYaml } from '../helpers/scenario.js';

function nodeTotals(obs: MemoryObserver, metric: string): Map<string, number> {
  return new Map(obs.totals.filter((t) => t.kind === 'Node' && t.metric === metric).map((t) => [t.name, t.value]));
}

const LB = ['spec.manifests[1].spec.type=LoadBalancer', 'spec.load[0].target.via=LoadBalancer'];
const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';
const LOCAL = [...LB, 'spec.manifests[1].spec.externalTrafficPolicy=Local'];

/** The control plane's labels with kubeadm's exclude label removed, as `kubectl label node cp KEY-` does. */
const CP_INCLUDED = `spec.cluster.nodes[0].labels={"${EXCLUDE}": null}`;

test('the cloud LB spreads new connections round robin over every healthy backend: the workers, not the labelled control plane', () => {
  const { obs, summary } = runTestScenario({ replicas: 3, workers: 3, rate: 100, duration: '1m', loadStart: '20s' }, LB);
  const entered = nodeTotals(obs, 'requests_entered');
  assert.equal(entered.size, 4);
  // controller.go nodeIncludedPredicate: cp carries kubeadm's exclude label, so the LB never sends to it.
  assert.equal(entered.get('cp'), 0);
  const workers = ['w1', 'w2', 'w3'].map((w) => entered.get(w)!);
  assert.ok(Math.max(...workers) - Math.min(...workers) <= 1, `round robin: ${workers.join(', ')}`);
  assert.equal(workers.reduce((a, b) => a + b, 0), summary.get('requests'));
  assert.equal(summary.get('requests_failed'), 0);
  assert.equal(obs.eventsWith('LoadBalancerNodeUnhealthy').length, 0);
});

test('with the exclude label removed the control plane is a backend like any node', () => {
  const { obs, summary } = runTestScenario({ replicas: 3, workers: 3, rate: 100, duration: '1m', loadStart: '20s' }, [...LB, CP_INCLUDED]);
  const entered = [...nodeTotals(obs, 'requests_entered').values()];
  assert.equal(entered.length, 4);
  assert.ok(Math.max(...entered) - Math.min(...entered) <= 1, `round robin: ${entered.join(', ')}`);
  assert.equal(summary.get('requests_failed'), 0);
});

test('the cloud LB with random selection uses every backend about equally', () => {
  const { obs, summary } = runTestScenario({ replicas: 3, workers: 3, rate: 100, duration: '1m', loadStart: '20s' }, [...LB, 'spec.load[0].target.nodeSelection=random']);
  const entered = nodeTotals(obs, 'requests_entered');
  assert.equal(entered.get('cp'), 0);
  const workers = ['w1', 'w2', 'w3'].map((w) => entered.get(w)!);
  const total = workers.reduce((a, b) => a + b, 0);
  for (const n of workers) assert.ok(n / total > 0.25 && n / total < 0.42, `share ${n / total}`);
  assert.equal(summary.get('requests_failed'), 0);
});

test('a worker labelled "false" stays a backend; "true" takes it out; no backend at all: UnAvailableLoadBalancer and no way in', () => {
  const labelled = (value: string) => `spec.cluster.nodes[1].labels={"${EXCLUDE}": "${value}"}`;
  const kept = runTestScenario({ workers: 3, rate: 60, duration: '40s', loadStart: '20s' }, [...LB, labelled('false')]);
  for (const w of ['w1', 'w2', 'w3']) assert.ok(nodeTotals(kept.obs, 'requests_entered').get(w)! > 0, w);
  assert.equal(kept.summary.get('requests_failed'), 0);
  assert.equal(kept.obs.eventsWith('UnAvailableLoadBalancer').length, 0);
  // Every worker labelled, and cp by kubeadm: the service controller hands the cloud no node.
  const none = runTestScenario({ workers: 3, rate: 60, duration: '40s', loadStart: '20s' }, [...LB, labelled('true')]);
  const warnings = none.obs.eventsWith('UnAvailableLoadBalancer');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.type, 'Warning');
  assert.equal(warnings[0]!.message, 'There are no available nodes for LoadBalancer');
  assert.ok(none.summary.get('requests')! > 0);
  assert.equal(none.summary.get('requests_failed_no_endpoints'), none.summary.get('requests'));
  for (const [node, n] of nodeTotals(none.obs, 'requests_entered')) assert.equal(n, 0, node);
});

test('Local: health checks of healthCheckNodePort keep traffic off nodes without a local endpoint (no drop, no hop)', () => {
  const { obs, summary } = runTestScenario({ replicas: 1, workers: 3, rate: 60, duration: '1m', loadStart: '20s' }, LOCAL);
  const podNode = obs.events.find((e) => e.reason === 'Scheduled')!.message.split(' to ').pop()!;
  assert.equal(summary.get('requests_failed_dropped_local'), 0);
  assert.equal(summary.get('requests_failed'), 0);
  for (const [node, n] of nodeTotals(obs, 'requests_entered')) assert.equal(n, node === podNode ? summary.get('requests') : 0, node);
  for (const [node, n] of nodeTotals(obs, 'extra_hops')) assert.equal(n, 0, node);
});

test('Local: a node that powers off leaves the pool after the unhealthy threshold, then no request fails', () => {
  const failAt = 40;
  const { obs, summary } = runTestScenario(
    { replicas: 6, workers: 3, rate: 90, duration: '90s', loadStart: '20s', timeout: '2s', sampleInterval: '1s', timeline: [{ at: `${failAt}s`, run: 'kubesim fail node w1' }] },
    LOCAL,
  );
  const { checkInterval, timeout, unhealthyThreshold } = CLOUD_LB_HEALTH_CHECKS.Local;
  const left = obs.eventsWith('LoadBalancerNodeUnhealthy');
  assert.equal(left.length, 1);
  assert.match(left[0]!.message, /^node w1 left the load balancer pool: 2 failed checks of healthCheckNodePort 3\d{4}/);
  // The first failing probe is within one interval of the failure and is counted after the probe timeout.
  const earliest = failAt + (unhealthyThreshold - 1) * checkInterval + timeout;
  assert.ok(left[0]!.time >= earliest && left[0]!.time <= earliest + checkInterval, `left at ${left[0]!.time}`);
  assert.equal(summary.get('requests_failed_dropped_local'), 0);
  const timeouts = obs.series('Service', 'web', 'requests_failed_timeout');
  assert.ok(timeouts.some((s) => s.value > 0), 'requests sent to w1 before it left the pool time out');
  // Requests sent once w1 is out of the pool are answered: timeouts end a client timeout (2 s) later.
  for (const s of timeouts) if (s.time > left[0]!.time + 2 + 1) assert.equal(s.value, 0, `timeouts at ${s.time}`);
});

test('via: LoadBalancer needs a LoadBalancer Service; healthCheckNodePort is allocated from the NodePort range under Local', () => {
  assert.throws(() => loadScenarioText(testScenarioYaml(), 'test.yaml', { overrides: ['spec.load[0].target.via=LoadBalancer'] }), /a Service of type LoadBalancer for via: LoadBalancer/);
  const { scenario } = loadScenarioText(testScenarioYaml(), 'test.yaml', { overrides: LOCAL });
  const svc = scenario.manifests.find((m) => m.kind === 'Service')!;
  assert.equal(svc.kind === 'Service' && svc.spec.healthCheckNodePort, 30001);
});

test('nodeport-vs-loadbalancer.yaml: NodePort clients keep timing out on the failed node; the LB stops after its health checks', () => {
  const { scenario } = loadScenarioFile(repoPath('scenarios/nodeport-vs-loadbalancer.yaml'));
  const obs = new MemoryObserver();
  runScenario(scenario, obs);
  const total = (name: string, metric: string) => obs.totals.find((t) => t.kind === 'Service' && t.name === name && t.metric === metric)!.value;
  const nodePortTimeouts = total('shop-nodeport', 'requests_failed_timeout');
  const lbTimeouts = total('shop-lb', 'requests_failed_timeout');
  // w2 is down 6 of the 9.5 minutes of load: a quarter of the NodePort clients' connections go to it.
  assert.ok(nodePortTimeouts > 0.1 * total('shop-nodeport', 'requests'), `NodePort timeouts ${nodePortTimeouts}`);
  assert.ok(lbTimeouts < nodePortTimeouts / 20, `LB timeouts ${lbTimeouts} vs NodePort ${nodePortTimeouts}`);
  assert.equal(total('shop-lb', 'requests_failed_dropped_local'), 0);
  assert.equal(obs.eventsWith('LoadBalancerNodeUnhealthy').length, 1);
  assert.match(obs.eventsWith('LoadBalancerNodeHealthy')[0]!.message, /^node w2 rejoined the load balancer pool/);
});
