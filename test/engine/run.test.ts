/**
 * The walking-skeleton model end to end: Deployment -> ReplicaSet -> pods -> scheduler ->
 * kubelet -> endpoints -> traffic, checked against Kubernetes behaviour and queueing theory.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../engine/run.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { runTestScenario, testScenario } from '../helpers/scenario.js';

const ALPHANUM = '[bcdfghjklmnpqrstvwxz2456789]';
const POD_NAME = new RegExp(`^web-${ALPHANUM}{1,10}-${ALPHANUM}{5}$`);

function last(obs: MemoryObserver, kind: string, name: string, metric: string): number {
  const s = obs.series(kind, name, metric);
  return s[s.length - 1]!.value;
}

test('a Deployment gets its pods, named as Kubernetes names them, on worker nodes only, all Ready', () => {
  const obs = new MemoryObserver();
  runScenario(testScenario({ duration: '1m', rate: 10 }), obs);
  const created = obs.eventsWith('SuccessfulCreate').map((e) => e.message.replace('Created pod: ', ''));
  assert.equal(created.length, 3);
  for (const name of created) assert.match(name, POD_NAME);
  const rsName = obs.eventsWith('SuccessfulCreate')[0]!.name;
  assert.match(rsName, new RegExp(`^web-${ALPHANUM}{1,10}$`));
  for (const e of obs.eventsWith('Scheduled')) assert.doesNotMatch(e.message, / to cp$/);
  assert.equal(last(obs, 'Deployment', 'web', 'replicas_ready'), 3);
  assert.equal(last(obs, 'Cluster', '', 'pods_running'), 3);
  const scaling = obs.eventsWith('ScalingReplicaSet')[0]!;
  assert.equal(scaling.message, `Scaled up replica set ${rsName} from 0 to 3`);
});

test('a deleted Deployment pod is replaced; scaling up and down converges to the new size', () => {
  const obs = new MemoryObserver();
  const scenario = testScenario({
    duration: '3m',
    timeline: [
      { at: '30s', run: 'kubectl delete pod -l app=web' },
      { at: '1m', run: 'kubectl scale deployment web --replicas=6' },
      { at: '2m', run: 'kubectl scale deploy/web --replicas 2' },
    ],
  });
  const result = runScenario(scenario, obs);
  const readyAt = (t: number) => obs.series('Deployment', 'web', 'replicas_ready').find((s) => s.time === t)!.value;
  assert.equal(readyAt(55), 3, 'three replacements Ready 25 s after the delete');
  assert.equal(readyAt(115), 6);
  assert.equal(readyAt(180), 2);
  // 3 originals + 3 replacements + 3 for the scale-up.
  assert.equal(result.summary.get('pods_created'), 9);
  assert.equal(obs.eventsWith('SuccessfulDelete').length, 4);
  assert.ok(obs.eventsWith('Killing').length >= 7);
});

test('pods that fit nowhere stay Pending with the upstream FailedScheduling message; no node is over-committed', () => {
  const obs = new MemoryObserver();
  runScenario(testScenario({ duration: '1m', replicas: 5, requestCpu: '1500m', rate: 5 }), obs);
  assert.equal(last(obs, 'Cluster', '', 'pods_running'), 3);
  assert.equal(last(obs, 'Cluster', '', 'pods_pending'), 2);
  const failed = obs.eventsWith('FailedScheduling');
  assert.ok(failed.length >= 2);
  assert.equal(
    failed[0]!.message,
    // The FitError text, then DefaultPreemption's (schedule_one.go appends the PostFilter message).
    '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ' +
      'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
  );
  for (const row of obs.samples.filter((s) => s.metric === 'cpu_requested_ratio')) assert.ok(row.value <= 1, `${row.name} at ${row.time}`);
});

/** Mean latency (ms) of one pod with `workers` workers, an unbounded queue, exponential 10 ms service, Poisson `rate`. */
function singlePodMeanLatency(workers: number, rate: number): { mean: number; failed: number } {
  const result = runScenario(
    testScenario({
      duration: '40m',
      replicas: 1,
      podWorkers: workers,
      queueCapacity: 100000,
      rate,
      serviceTime: '{ dist: exponential, mean: 10ms }',
      timeout: '1h',
    }),
    new MemoryObserver(),
  );
  return { mean: result.summary.get('latency_mean_ms')!, failed: result.summary.get('requests_failed')! };
}

/**
 * M/M/1: one pod with one worker, Poisson arrivals (lambda = 50/s), exponential service
 * (mean 10 ms, mu = 100/s). Mean time in system W = 1/(mu - lambda) = 20 ms (Kleinrock,
 * Queueing Systems vol. 1, eq. 3.26). Measured latency adds the network: one hop into the
 * entry node, one more when the pod is elsewhere (3 of 4 entry nodes), each way:
 * 2 * (0.2 + 0.75 * 0.2) ms = 0.7 ms.
 */
test('one pod with one worker behaves as an M/M/1 queue', () => {
  const { mean, failed } = singlePodMeanLatency(1, 50);
  assert.ok(Math.abs(mean - 20.7) < 1.5, `mean latency ${mean} ms, expected 20.7 ms`);
  assert.equal(failed, 0);
});

/**
 * M/M/2 with the Erlang C formula: lambda = 150/s, mu = 100/s per worker, c = 2,
 * rho = 0.75. P(wait) = C(2, 1.5) = 0.6428..., Wq = C / (c*mu - lambda) = 12.857 ms,
 * W = Wq + 1/mu = 22.857 ms, plus 0.7 ms of network as above.
 */
test('one pod with two workers behaves as an M/M/2 queue (Erlang C)', () => {
  const a = 1.5;
  const c = 2;
  const rho = a / c;
  const erlangC = (a ** c / 2 / (1 - rho)) / (1 + a + a ** c / 2 / (1 - rho));
  const expected = (erlangC / (200 - 150) + 1 / 100) * 1000 + 0.7;
  const { mean } = singlePodMeanLatency(2, 150);
  assert.ok(Math.abs(mean - expected) / expected < 0.07, `mean latency ${mean} ms, expected ${expected.toFixed(2)} ms`);
});

test('requests beyond workers + queue are refused as queue_full; slow answers time out', () => {
  const full = runScenario(
    testScenario({ duration: '1m', replicas: 1, podWorkers: 1, queueCapacity: 2, rate: 200, serviceTime: '20ms' }),
    new MemoryObserver(),
  );
  assert.ok(full.summary.get('requests_failed_queue_full')! > 1000);
  const slow = runScenario(
    testScenario({ duration: '1m', replicas: 3, podWorkers: 1000, queueCapacity: 0, rate: 20, serviceTime: '3s', timeout: '1s' }),
    new MemoryObserver(),
  );
  const s = slow.summary;
  assert.equal(s.get('requests_served'), 0);
  assert.equal(s.get('requests_failed'), s.get('requests_failed_timeout'));
  assert.equal(s.get('requests')!, s.get('requests_failed')! + s.get('requests_in_flight_at_end')!);
});

test('without ready endpoints requests fail as no_endpoints', () => {
  const result = runScenario(testScenario({ duration: '30s', rate: 100, loadStart: '0s' }), new MemoryObserver());
  // Pods need a few seconds to pull, start and become endpoints; requests before that fail.
  const noEndpoints = result.summary.get('requests_failed_no_endpoints')!;
  assert.ok(noEndpoints > 100 && noEndpoints < 1500, `no_endpoints ${noEndpoints}`);
});

test('a deleted bare pod is not recreated (nothing owns it), unlike a Deployment pod', () => {
  const bare = `    - apiVersion: v1
      kind: Pod
      metadata: { name: lonely, labels: { run: lonely } }
      spec:
        containers: [{ name: c, image: busybox:1.36 }]
`;
  const { run, obs } = runTestScenario({
    duration: '2m',
    rate: 5,
    extraManifests: bare,
    timeline: [
      { at: '30s', run: 'kubectl delete pod lonely' },
      { at: '30s', run: 'kubectl delete pod -l app=web' },
    ],
  });
  assert.equal(run.apiServer.get('Pod', 'default', 'lonely'), undefined);
  assert.equal(obs.eventsWith('SuccessfulCreate').filter((e) => e.time > 30).length, 3, 'the Deployment pods only');
  assert.equal(last(obs, 'Cluster', '', 'pods_running'), 3);
});
