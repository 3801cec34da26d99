/**
 * Load balancers following node labels and taints changed during a run: the cloud service
 * controller's node sync (cloud-provider controllers/service/controller.go: the exclude label,
 * the ToBeDeletedByClusterAutoscaler taint; UpdatedLoadBalancer / UnAvailableLoadBalancer) and
 * MetalLB's speakers (the exclude label: the L2 announcer moves, a BGP next hop is withdrawn);
 * and scenarios/node-maintenance.yaml, which teaches the order: exclude, then taint.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { l2Order } from '../../engine/network/metallb-l2.js';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';
import { runTestScenario } from '../helpers/scenario.js';
import { bgpPeer, metallbManifests } from '../helpers/metallb.js';

const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';
const CLOUD = ['spec.manifests[1].spec.type=LoadBalancer', 'spec.load[0].target.via=LoadBalancer'];

function entered(obs: MemoryObserver): Map<string, number> {
  return new Map(obs.totals.filter((t) => t.kind === 'Node' && t.metric === 'requests_entered').map((t) => [t.name, t.value]));
}

test('the cloud LB stops sending new connections to a node labelled excluded during the run, and takes it back when the label goes', () => {
  const options = { replicas: 3, workers: 3, rate: 60, loadStart: '20s' };
  // What w1 received until the label took effect: the same run, stopped at the label.
  const until = runTestScenario({ ...options, duration: '30s' }, CLOUD);
  const labelled = runTestScenario({ ...options, duration: '90s', timeline: [{ at: '30s', run: `kubectl label node w1 ${EXCLUDE}=true` }] }, CLOUD);
  const w1 = entered(labelled.obs).get('w1')!;
  assert.ok(w1 > 0);
  // Round robin: the runs are the same up to 30 s; the label reaches the controller 15 ms later.
  assert.ok(Math.abs(w1 - entered(until.obs).get('w1')!) <= 2, `w1 got ${w1}, ${entered(until.obs).get('w1')} before the label`);
  assert.ok(entered(labelled.obs).get('w2')! > 5 * w1, 'w2 and w3 take everything after 30 s');
  assert.equal(labelled.summary.get('requests_failed'), 0, 'established connections and the other nodes serve on');
  const updated = labelled.obs.eventsWith('UpdatedLoadBalancer');
  assert.deepEqual(updated.map((e) => [e.time, e.kind, e.name, e.message]), [[30.015, 'Service', 'web', 'Updated load balancer with new hosts']]);

  const back = runTestScenario(
    { ...options, duration: '90s', timeline: [{ at: '30s', run: `kubectl label node w1 ${EXCLUDE}=true` }, { at: '60s', run: `kubectl label node w1 ${EXCLUDE}-` }] },
    CLOUD,
  );
  assert.ok(entered(back.obs).get('w1')! > w1 + 300, 'w1 back in the pool: about a third of the last 30 s');
  assert.equal(back.obs.eventsWith('UpdatedLoadBalancer').length, 2);
  assert.equal(back.summary.get('requests_failed'), 0);
});

test('"false" keeps a node in the cloud LB (ParseBool), the ToBeDeletedByClusterAutoscaler taint takes it out', () => {
  const options = { replicas: 3, workers: 3, rate: 60, loadStart: '20s', duration: '60s' };
  const kept = runTestScenario({ ...options, timeline: [{ at: '25s', run: `kubectl label node w1 ${EXCLUDE}=false` }] }, CLOUD);
  assert.equal(kept.obs.eventsWith('UpdatedLoadBalancer').length, 0, 'the host set did not change');
  const w = entered(kept.obs);
  assert.ok(Math.abs(w.get('w1')! - w.get('w2')!) <= 1);
  const tainted = runTestScenario({ ...options, timeline: [{ at: '25s', run: 'kubectl taint nodes w2 ToBeDeletedByClusterAutoscaler=1700000000:NoSchedule' }] }, CLOUD);
  assert.equal(tainted.obs.eventsWith('UpdatedLoadBalancer').length, 1);
  const t = entered(tainted.obs);
  assert.ok(t.get('w2')! < t.get('w1')! / 4, `w2 ${t.get('w2')} vs w1 ${t.get('w1')}`);
});

test('the control plane, its kubeadm label removed by kubectl, becomes a backend; every node excluded: UnAvailableLoadBalancer, no way in', () => {
  const options = { replicas: 3, workers: 3, rate: 60, loadStart: '20s', duration: '60s' };
  const cp = runTestScenario({ ...options, timeline: [{ at: '10s', run: `kubectl label node cp ${EXCLUDE}-` }] }, CLOUD);
  assert.ok(entered(cp.obs).get('cp')! > 0);
  const none = runTestScenario({ ...options, timeline: [{ at: '30s', run: `kubectl label nodes w1 w2 w3 ${EXCLUDE}=` }] }, CLOUD);
  const warnings = none.obs.eventsWith('UnAvailableLoadBalancer');
  assert.deepEqual(warnings.map((e) => [e.time, e.type, e.message]), [[30.015, 'Warning', 'There are no available nodes for LoadBalancer']]);
  const failed = none.obs.series('Service', 'web', 'requests_failed_no_endpoints');
  assert.ok(failed.filter((s) => s.time <= 30).every((s) => s.value === 0));
  assert.ok(failed.filter((s) => s.time > 31).every((s) => s.value > 0));
});

const L2 = metallbManifests('L2');
const METALLB = [...CLOUD, 'spec.load[0].target.loadBalancer=metallb'];

function assigned(obs: MemoryObserver, protocol: string): [number, string][] {
  return obs.eventsWith('nodeAssigned').map((e) => [e.time, new RegExp(`^announcing from node "([^"]+)" with protocol "${protocol}"$`).exec(e.message)![1]!]);
}

test('MetalLB L2: labelling the announcer excluded moves the address to the next speaker at once; the label removed, it takes it back', () => {
  const order = l2Order(['w1', 'w2', 'w3'], '192.168.1.240');
  const [first, second] = order as [string, string];
  const timeline = [
    { at: '30s', run: `kubectl label node ${first} ${EXCLUDE}=` },
    { at: '50s', run: `kubectl label node ${first} ${EXCLUDE}-` },
  ];
  const { obs, summary } = runTestScenario({ duration: '70s', rate: 30, extraManifests: L2, timeline }, METALLB);
  const a = assigned(obs, 'layer2');
  assert.deepEqual(a.map(([, n]) => n), [first, second, first]);
  assert.deepEqual(a.slice(1).map(([t]) => t), [30.015, 50.015]);
  const e = entered(obs);
  assert.ok(e.get(second)! > 0 && e.get(first)! > 0);
  assert.equal(summary.get('requests_failed'), 0, 'the gratuitous ARP moves clients at once');
});

const BGP = metallbManifests('BGP', bgpPeer('tor', 'myASN: 64500, peerASN: 64501, peerAddress: 10.0.0.254'));

test('MetalLB BGP: a node labelled excluded withdraws its route at once, no new flow enters there; unlabelled it announces again', () => {
  const timeline = [
    { at: '30s', run: `kubectl label node w2 ${EXCLUDE}=` },
    { at: '50s', run: `kubectl label node w2 ${EXCLUDE}-` },
  ];
  const until = runTestScenario({ duration: '30s', rate: 30, extraManifests: BGP }, METALLB);
  const { obs } = runTestScenario({ duration: '50s', rate: 30, extraManifests: BGP, timeline }, METALLB);
  assert.deepEqual(
    assigned(obs, 'bgp').filter(([t]) => t > 10),
    [],
    'nothing announced anew after the first endpoints were ready',
  );
  // w2 received only what it had by the withdrawal (30.015 s): the run is the same until then.
  assert.ok(Math.abs(entered(obs).get('w2')! - entered(until.obs).get('w2')!) <= 2, `${entered(obs).get('w2')} vs ${entered(until.obs).get('w2')}`);
  const again = runTestScenario({ duration: '70s', rate: 30, extraManifests: BGP, timeline }, METALLB);
  assert.deepEqual(assigned(again.obs, 'bgp').filter(([t]) => t > 10), [[50.015, 'w2']]);
});

test('node-maintenance.yaml: the abrupt taint drops traffic until the LB checks fail; excluding the node first drops none', () => {
  const { scenario } = loadScenarioFile(repoPath('scenarios/node-maintenance.yaml'));
  const obs = new MemoryObserver();
  runScenario(scenario, obs);
  const failures = obs.samples.filter((s) => s.kind === 'Service' && s.name === 'web' && s.metric.startsWith('requests_failed_') && s.value > 0);
  const at = (from: number, to: number) => failures.filter((s) => s.time > from && s.time <= to);
  assert.ok(at(120, 130).some((s) => s.metric === 'requests_failed_dropped_local'), 'w1 drops while the LB still sends to it');
  assert.deepEqual(at(130, 510), [], 'nothing fails from the w1 clean-up to the rollout, the taint of w2 at 6m30s included');
  const unhealthy = obs.eventsWith('LoadBalancerNodeUnhealthy');
  assert.equal(unhealthy.length, 1);
  assert.match(unhealthy[0]!.message, /^node w1-k8s left the load balancer pool/);
  assert.deepEqual(obs.eventsWith('UpdatedLoadBalancer').map((e) => e.time), [360.015, 480.025]);
  const report = obs.eventsWith('TaintManagerEviction').find((e) => e.name === 'report')!;
  assert.equal(report.time, 180.015, 'tolerationSeconds 60 after the controller saw the taint');
});
