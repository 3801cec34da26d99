/**
 * The scheduler reacting to `kubectl label` and `kubectl taint` as kube-scheduler does
 * (pkg/scheduler/eventhandlers.go updateNodeInCache / updatePodInCache, the queue's
 * MoveAllToActiveOrBackoffQueue on NodeLabel / NodeTaint / AssignedPodUpdate events): a pod
 * waiting for a label is placed once a node gets it, a pod kept out by taints is placed once
 * one is removed, and a relabelled running pod counts under its new labels for affinity.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive } from '../../engine/api/pod-lifecycle.js';
import { runTestScenario } from '../helpers/scenario.js';

const SSD_POD = `    - apiVersion: v1
      kind: Pod
      metadata: { name: fast, labels: { app: fast } }
      spec:
        nodeSelector: { disk: ssd }
        containers: [{ name: c, image: busybox:1.36 }]
`;

test('a pending pod whose nodeSelector no node matches is scheduled once `kubectl label node` gives one the label', () => {
  const { obs, run } = runTestScenario({ duration: '60s', rate: 1, extraManifests: SSD_POD, timeline: [{ at: '30s', run: 'kubectl label node w2 disk=ssd' }] });
  const failed = obs.eventsWith('FailedScheduling').filter((e) => e.name === 'fast');
  assert.ok(failed.length > 0);
  assert.match(failed[0]!.message, /^0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 node\(s\) didn't match Pod's node affinity\/selector\./);
  assert.ok(failed.every((e) => e.time < 30), 'no failure after the label');
  const scheduled = obs.eventsWith('Scheduled').filter((e) => e.name === 'fast');
  assert.equal(scheduled.length, 1);
  assert.equal(scheduled[0]!.message, 'Successfully assigned default/fast to w2');
  // The label commits after 10 ms and the scheduler sees it 5 ms later: the next cycle binds the pod.
  assert.ok(scheduled[0]!.time > 30 && scheduled[0]!.time < 30.1, `scheduled at ${scheduled[0]!.time}`);
  assert.equal(run.apiServer.get('Pod', 'default', 'fast')!.status?.phase, 'Running');
});

test('without the label the pod stays Pending to the end (the test above can fail)', () => {
  const { obs, run } = runTestScenario({ duration: '60s', rate: 1, extraManifests: SSD_POD, timeline: [{ at: '30s', run: 'kubectl label node w2 disk=hdd' }] });
  assert.equal(obs.eventsWith('Scheduled').filter((e) => e.name === 'fast').length, 0);
  assert.equal(run.apiServer.get('Pod', 'default', 'fast')!.spec.nodeName, undefined);
});

test('NoSchedule taints keep new pods Pending; removing one lets them onto that node; running pods stay', () => {
  const { obs, run } = runTestScenario({
    duration: '80s',
    replicas: 3,
    rate: 5,
    timeline: [
      { at: '30s', run: 'kubectl taint nodes w1 w2 w3 maint=now:NoSchedule' },
      { at: '35s', run: 'kubectl scale deployment web --replicas=5' },
      { at: '60s', run: 'kubectl taint nodes w3 maint:NoSchedule-' },
    ],
  });
  const failed = obs.eventsWith('FailedScheduling').filter((e) => e.time > 35);
  assert.ok(failed.length >= 2);
  assert.match(failed[0]!.message, /3 node\(s\) had untolerated taint \{maint: now\}/);
  const late = obs.eventsWith('Scheduled').filter((e) => e.time > 35);
  assert.equal(late.length, 2);
  for (const e of late) {
    assert.ok(e.time > 60 && e.time < 60.1, `scheduled at ${e.time}`);
    assert.match(e.message, / to w3$/);
  }
  const pods = run.apiServer.list('Pod').filter(isPodActive);
  assert.equal(pods.length, 5, 'the three running pods were not evicted by a NoSchedule taint');
});

const DB_AND_SPREAD = `    - apiVersion: v1
      kind: Pod
      metadata: { name: db }
      spec:
        nodeName: w1
        containers: [{ name: c, image: busybox:1.36 }]
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: spread }
      spec:
        replicas: 0
        selector: { matchLabels: { app: spread } }
        template:
          metadata: { labels: { app: spread } }
          spec:
            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  - { labelSelector: { matchLabels: { role: db } }, topologyKey: kubernetes.io/hostname }
            containers: [{ name: c, image: busybox:1.36 }]
`;

test('a running pod labelled by kubectl counts under its new labels: pod anti-affinity keeps new pods off its node', () => {
  const placed = (labelled: boolean) => {
    const timeline = [...(labelled ? [{ at: '20s', run: 'kubectl label pod db role=db' }] : []), { at: '30s', run: 'kubectl scale deployment spread --replicas=3' }];
    const { run } = runTestScenario({ duration: '40s', rate: 1, extraManifests: DB_AND_SPREAD, timeline });
    const spread = run.apiServer.list('Pod').filter((p) => p.metadata.labels?.app === 'spread');
    assert.equal(spread.length, 3);
    return spread.map((p) => p.spec.nodeName!).sort();
  };
  // Unlabelled, default spreading puts one on each worker; labelled role=db, w1 is out.
  assert.deepEqual(placed(false), ['w1', 'w2', 'w3']);
  const labelled = placed(true);
  assert.ok(!labelled.includes('w1'), labelled.join(','));
  assert.ok(labelled.every((n) => n === 'w2' || n === 'w3'));
});
