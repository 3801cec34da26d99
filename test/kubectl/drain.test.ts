/**
 * kubectl cordon / uncordon / drain, against kubectl's behaviour (kubectl/pkg/drain): drain
 * cordons first, refuses pods without a controller unless --force (naming them), evicts the
 * rest and waits for them to be gone; the evicted pods' controllers recreate them elsewhere.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive } from '../../engine/api/pod-lifecycle.js';
import { kubectlOutput, runTestScenario as run } from '../helpers/scenario.js';

const BARE_POD = `    - apiVersion: v1
      kind: Pod
      metadata: { name: debug, labels: { app: debug } }
      spec:
        nodeName: w1
        containers: [{ name: sh, image: busybox:1.36 }]
`;

test('drain evicts the Deployment pods of a node, which come back elsewhere; the node stays cordoned', () => {
  const { run: r, obs } = run({ duration: '2m', replicas: 6, rate: 20, timeline: [{ at: '40s', run: 'kubectl drain w1 --ignore-daemonsets' }] });
  const out = kubectlOutput(obs);
  assert.equal(out[0], 'node/w1 cordoned');
  assert.equal(out[out.length - 1], 'node/w1 drained');
  const evicting = out.filter((m) => m.startsWith('evicting pod default/web-'));
  assert.equal(evicting.length, 2, 'six replicas spread over three workers');
  assert.equal(out.filter((m) => /^pod\/web-\S+ evicted$/.test(m)).length, 2);
  const pods = r.apiServer.list('Pod').filter(isPodActive);
  assert.equal(pods.length, 6);
  assert.ok(pods.every((p) => p.spec.nodeName !== 'w1'));
  assert.equal(r.apiServer.get('Node', undefined, 'w1')!.spec.unschedulable, true);
  assert.deepEqual(r.apiServer.get('Node', undefined, 'w1')!.spec.taints, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
});

test('drain refuses a pod without a controller unless --force, as kubectl does, after cordoning', () => {
  const refused = run({ duration: '1m', rate: 5, extraManifests: BARE_POD, timeline: [{ at: '30s', run: 'kubectl drain w1 --ignore-daemonsets' }] });
  const out = kubectlOutput(refused.obs);
  assert.deepEqual(out, [
    'node/w1 cordoned',
    'error: unable to drain node "w1" due to error: cannot delete Pods declare no controller (use --force to override): default/debug, continuing command...',
  ]);
  assert.equal(refused.run.apiServer.list('Pod').filter((p) => p.spec.nodeName === 'w1' && isPodActive(p)).length, 2, 'nothing evicted');

  const forced = run({ duration: '2m', rate: 5, extraManifests: BARE_POD, timeline: [{ at: '30s', run: 'kubectl drain w1 --ignore-daemonsets --force' }] });
  const forcedOut = kubectlOutput(forced.obs);
  assert.equal(forcedOut[forcedOut.length - 1], 'node/w1 drained');
  // A bare pod is not recreated: it is gone for good.
  assert.equal(forced.run.apiServer.get('Pod', 'default', 'debug'), undefined);
});

test('cordon keeps new pods off a node; uncordon lets them back; repeated cordon says so', () => {
  const { run: r, obs } = run({
    duration: '2m',
    replicas: 3,
    rate: 5,
    timeline: [
      { at: '30s', run: 'kubectl cordon w1' },
      { at: '31s', run: 'kubectl cordon w1' },
      { at: '40s', run: 'kubectl scale deployment web --replicas=9' },
      { at: '90s', run: 'kubectl uncordon w1' },
    ],
  });
  assert.deepEqual(kubectlOutput(obs).filter((m) => m.startsWith('node/')), ['node/w1 cordoned', 'node/w1 already cordoned', 'node/w1 uncordoned']);
  const scheduledToW1 = obs.eventsWith('Scheduled').filter((e) => e.time > 30 && e.time < 90 && e.message.endsWith(' to w1'));
  assert.equal(scheduledToW1.length, 0);
  assert.equal(r.apiServer.get('Node', undefined, 'w1')!.spec.unschedulable, undefined);
});

const DAEMONSET = `    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec:
            containers: [{ name: agent, image: agent:1, resources: { requests: { cpu: 10m } } }]
`;

test('with DaemonSet pods present, drain refuses without --ignore-daemonsets, and with it leaves only the DaemonSet pod', () => {
  const { run: r, obs } = run({
    duration: '2m',
    replicas: 6,
    rate: 5,
    extraManifests: DAEMONSET,
    timeline: [
      { at: '30s', run: 'kubectl drain w1' },
      { at: '40s', run: 'kubectl drain w1 --ignore-daemonsets' },
    ],
  });
  const out = kubectlOutput(obs);
  assert.equal(out[0], 'node/w1 cordoned');
  assert.match(out[1]!, /^error: unable to drain node "w1" due to error: cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): default\/agent-\w{5}, continuing command\.\.\.$/);
  assert.equal(out[out.length - 1], 'node/w1 drained');
  const left = r.apiServer.list('Pod').filter((p) => p.spec.nodeName === 'w1' && isPodActive(p));
  assert.deepEqual(left.map((p) => p.metadata.labels?.app), ['agent']);
  // SchedulingDisabled, as `kubectl get nodes` shows it.
  assert.equal(r.apiServer.get('Node', undefined, 'w1')!.spec.unschedulable, true);
});
