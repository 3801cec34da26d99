/**
 * Fault actions and their Kubernetes consequences, against the upstream defaults: a failed
 * node goes NotReady after --node-monitor-grace-period (50 s) plus at most one
 * --node-monitor-period (5 s); its pods are evicted 300 s later (the DefaultTolerationSeconds
 * admission), then recreated elsewhere; a stopped scheduler leaves new pods Pending; a stopped
 * controller-manager does not heal; a stopped API server refuses kubectl and propagates nothing
 * while pods keep serving.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseFault } from '../../engine/faults/command.js';
import { KubectlSyntaxError } from '../../engine/kubectl/syntax-error.js';
import { isPodActive, isPodReady } from '../../engine/api/pod-lifecycle.js';
import { runTestScenario as run } from '../helpers/scenario.js';

test('kubesim fault actions parse, and typos are syntax errors', () => {
  assert.deepEqual(parseFault('kubesim fail node w1'), { verb: 'fail', target: 'node', node: 'w1' });
  assert.deepEqual(parseFault('kubesim stop kubelet w2'), { verb: 'stop', target: 'kubelet', node: 'w2' });
  assert.deepEqual(parseFault('kubesim start controller-manager'), { verb: 'start', target: 'controller-manager' });
  for (const bad of ['kubesim explode node w1', 'kubesim fail node', 'kubesim stop scheduler w1', 'kubesim fail node w1 w2']) {
    assert.throws(() => parseFault(bad), KubectlSyntaxError, bad);
  }
});

test('a failed node goes NotReady after the grace period; its pods are evicted after 300 s and recreated elsewhere', () => {
  const { run: r, obs, summary: s } = run({ duration: '10m', rate: 30, timeline: [{ at: '60s', run: 'kubesim fail node w1' }] });
  const notReady = obs.eventsWith('NodeNotReady');
  assert.equal(notReady.length, 1);
  assert.equal(notReady[0]!.name, 'w1');
  // The grace period counts from the last heartbeat the controller observed: the lease is
  // renewed every 10 s and looked at every 5 s, so NotReady comes 50 s after a renewal at most
  // 10 s before the failure, at a monitor tick.
  const t = notReady[0]!.time;
  assert.ok(t > 60 - 10 + 50 && t <= 60 + 50 + 5, `NotReady at ${t}`);
  assert.equal(t % 5, 0, 'on a --node-monitor-period tick');
  const evictions = obs.eventsWith('TaintManagerEviction');
  assert.equal(evictions.length, 1, 'one of the three pods was on w1');
  assert.ok(Math.abs(evictions[0]!.time - (t + 300)) < 0.1, `evicted at ${evictions[0]!.time}`);
  assert.match(evictions[0]!.message, /^Marking for deletion Pod default\/web-/);
  const active = r.apiServer.list('Pod').filter((p) => isPodActive(p) && isPodReady(p));
  assert.equal(active.length, 3);
  assert.ok(active.every((p) => p.spec.nodeName !== 'w1'));
  // The evicted pod stays Terminating: its kubelet is gone and cannot confirm the deletion.
  assert.equal(r.apiServer.list('Pod').filter((p) => p.metadata.deletionTimestamp !== undefined).length, 1);
  const w1 = r.apiServer.get('Node', undefined, 'w1')!;
  assert.deepEqual(
    w1.spec.taints?.map((x) => `${x.key}:${x.effect}`),
    ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'],
  );
  // Requests to w1 (its NodePort, its pod) vanish: clients time out; nothing else fails.
  assert.ok(s.get('requests_failed_timeout')! > 0);
  assert.equal(s.get('requests_failed')!, s.get('requests_failed_timeout')!);
});

test('a recovered node is Ready again, untainted, and the terminating pod is finally removed', () => {
  const { run: r, obs } = run({ duration: '10m', rate: 5, timeline: [{ at: '30s', run: 'kubesim fail node w1' }, { at: '8m', run: 'kubesim recover node w1' }] });
  assert.equal(obs.eventsWith('NodeReady').length, 1);
  const w1 = r.apiServer.get('Node', undefined, 'w1')!;
  assert.equal(w1.spec.taints, undefined);
  assert.equal(w1.status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  assert.equal(r.apiServer.list('Pod').length, 3, 'no pod left Terminating');
});

test('a stopped kubelet: pods serve until the node is NotReady, then leave the endpoints; no pod is lost', () => {
  const { run: r, obs, summary: s } = run({ duration: '4m', rate: 30, timeline: [{ at: '60s', run: 'kubesim stop kubelet w1' }] });
  assert.equal(obs.eventsWith('NodeNotReady').length, 1);
  // The containers kept running: requests to them were answered until they left the endpoints.
  assert.equal(s.get('requests_failed_timeout'), 0);
  const onW1 = r.apiServer.list('Pod').filter((p) => p.spec.nodeName === 'w1');
  assert.equal(onW1.length, 1);
  assert.equal(isPodReady(onW1[0]!), false, 'marked not Ready by the node lifecycle controller');
});

test('a stopped scheduler leaves new pods Pending until it starts again', () => {
  const { obs } = run({
    duration: '3m',
    rate: 5,
    timeline: [
      { at: '30s', run: 'kubesim stop scheduler' },
      { at: '40s', run: 'kubectl scale deployment web --replicas=5' },
      { at: '2m', run: 'kubesim start scheduler' },
    ],
  });
  const pending = obs.series('Cluster', '', 'pods_pending');
  assert.equal(pending.find((p) => p.time === 115)!.value, 2);
  assert.equal(pending[pending.length - 1]!.value, 0);
  const scheduled = obs.eventsWith('Scheduled').filter((e) => e.time > 40);
  assert.ok(scheduled.every((e) => e.time >= 120));
});

test('a stopped controller-manager does not replace a deleted pod until it starts again', () => {
  const { obs } = run({
    duration: '3m',
    rate: 5,
    timeline: [
      { at: '30s', run: 'kubesim stop controller-manager' },
      { at: '40s', run: 'kubectl delete pod -l app=web' },
      { at: '2m', run: 'kubesim start controller-manager' },
    ],
  });
  const creates = obs.eventsWith('SuccessfulCreate').filter((e) => e.time > 40);
  assert.equal(creates.length, 3);
  assert.ok(creates.every((e) => e.time >= 120));
  // pods_ready, not the Deployment's status: that one is written by the stopped controllers.
  const ready = obs.series('Cluster', '', 'pods_ready');
  assert.equal(ready.find((p) => p.time === 115)!.value, 0);
  assert.equal(ready[ready.length - 1]!.value, 3);
});

test('a stopped API server refuses kubectl and changes nothing, while running pods keep serving', () => {
  // An outage shorter than the node grace period: no node is judged NotReady meanwhile.
  const { run: r, obs, summary } = run({
    duration: '3m',
    rate: 20,
    timeline: [
      { at: '30s', run: 'kubesim stop apiserver' },
      { at: '40s', run: 'kubectl scale deployment web --replicas=5' },
      { at: '70s', run: 'kubesim start apiserver' },
    ],
  });
  const errors = obs.eventsWith('KubectlError');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /The connection to the server was refused/);
  assert.equal(r.apiServer.get('Deployment', 'default', 'web')!.spec.replicas, 3);
  assert.equal(summary.get('requests_failed'), 0);
});

test('an API server outage longer than the grace period: nodes are judged NotReady, and recover within a kubelet status period', () => {
  const { obs, summary } = run({
    duration: '4m',
    rate: 20,
    timeline: [
      { at: '30s', run: 'kubesim stop apiserver' },
      { at: '2m', run: 'kubesim start apiserver' },
    ],
  });
  // kubernetes/kubernetes#127352: an API outage longer than --node-monitor-grace-period marks nodes NotReady.
  assert.ok(obs.eventsWith('NodeNotReady').length >= 3);
  const ready = obs.series('Cluster', '', 'pods_ready');
  assert.equal(ready[ready.length - 1]!.value, 3, 'pods are endpoints again');
  assert.equal(summary.get('requests_failed_timeout'), 0);
});

test('a stopped kube-proxy keeps routing by its old rules: requests go to deleted pods until it resyncs', () => {
  const nodes = ['cp', 'w1', 'w2', 'w3'];
  const base = {
    duration: '2m',
    rate: 50,
    timeline: [{ at: '40s', run: 'kubectl delete pod -l app=web' }],
  };
  const healthy = run(base);
  const stopped = run({
    ...base,
    timeline: [
      ...nodes.map((n) => ({ at: '30s', run: `kubesim stop kube-proxy ${n}` })),
      ...base.timeline,
      ...nodes.map((n) => ({ at: '70s', run: `kubesim start kube-proxy ${n}` })),
    ],
  });
  const stale = (s: ReadonlyMap<string, number>) => s.get('requests_failed_stale_endpoint')!;
  assert.ok(stale(healthy.summary) < 20, `healthy: ${stale(healthy.summary)}`);
  // ~30 s of 50 req/s sent to the deleted pods' addresses.
  assert.ok(stale(stopped.summary) > 1000, `stopped: ${stale(stopped.summary)}`);
  const perInterval = stopped.obs.samples.filter((r) => r.kind === 'Service' && r.metric === 'requests_failed_stale_endpoint');
  assert.equal(perInterval.filter((r) => r.time > 75).reduce((a, r) => a + r.value, 0), 0, 'none once the rules are resynced');
});

test('a node that fails during an image pull loses the pull; after recovery its pod pulls again and runs', () => {
  // One worker, one pod: at 0.5 s the pod is bound to w1 and pulling nginx (pulls take seconds).
  const { run: r, obs } = run({
    workers: 1,
    replicas: 1,
    duration: '3m',
    rate: 1,
    timeline: [{ at: '0.5s', run: 'kubesim fail node w1' }, { at: '30s', run: 'kubesim recover node w1' }],
  });
  const pulling = obs.eventsWith('Pulling');
  assert.ok(pulling.length >= 2 && pulling[0]!.time < 0.5, `Pulling at ${pulling.map((e) => e.time)}`);
  const pulled = obs.eventsWith('Pulled');
  assert.ok(pulled.length > 0, 'the image arrives after recovery');
  assert.ok(pulled.every((e) => e.time >= 30), `no pull completes on a dead machine: Pulled at ${pulled.map((e) => e.time)}`);
  const pods = r.apiServer.list('Pod').filter((p) => isPodActive(p));
  assert.equal(pods.length, 1);
  assert.ok(isPodReady(pods[0]!), 'the pod runs after the node recovers');
});
