/**
 * The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go) reacting to
 * `kubectl taint ... :NoExecute`: pods that do not tolerate the taint are deleted at once, pods
 * that tolerate it for tolerationSeconds are deleted that long after the controller saw the
 * taint, pods that tolerate it without a limit stay; removing the taint in time cancels the
 * pending evictions ("Cancelling deletion of Pod ..."), and a pending eviction keeps its time
 * when a further, shorter-tolerated taint comes (processPodOnNode).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive } from '../../engine/api/pod-lifecycle.js';
import { runTestScenario } from '../helpers/scenario.js';

const TOLERATING = `    - apiVersion: v1
      kind: Pod
      metadata: { name: thirty }
      spec:
        nodeName: w1
        tolerations: [{ key: maint, operator: Exists, effect: NoExecute, tolerationSeconds: 30 }]
        containers: [{ name: c, image: busybox:1.36 }]
    - apiVersion: v1
      kind: Pod
      metadata: { name: forever }
      spec:
        nodeName: w1
        tolerations: [{ key: maint, operator: Exists, effect: NoExecute }]
        containers: [{ name: c, image: busybox:1.36 }]
    - apiVersion: v1
      kind: Pod
      metadata: { name: other }
      spec:
        nodeName: w1
        tolerations: [{ key: other, operator: Exists, effect: NoExecute, tolerationSeconds: 5 }]
        containers: [{ name: c, image: busybox:1.36 }]
`;

/** When the controller sees a write made by a command at `at`: write latency 10 ms, watch delay 5 ms. */
const seen = (at: number) => at + 0.015;

function evictions(obs: ReturnType<typeof runTestScenario>['obs']): Map<string, number> {
  return new Map(obs.eventsWith('TaintManagerEviction').filter((e) => e.message.startsWith('Marking')).map((e) => [e.name, e.time]));
}

test('a NoExecute taint evicts the pods that do not tolerate it at once, the 30 s ones 30 s later, not the unlimited one', () => {
  const { obs, run } = runTestScenario({ duration: '90s', replicas: 3, rate: 5, extraManifests: TOLERATING, timeline: [{ at: '30s', run: 'kubectl taint nodes w1 maint=now:NoExecute' }] });
  const evicted = evictions(obs);
  const webOnW1 = [...evicted.keys()].filter((n) => n.startsWith('web-'));
  assert.equal(webOnW1.length, 1, 'the web pod of w1');
  assert.ok(Math.abs(evicted.get(webOnW1[0]!)! - seen(30)) < 1e-9);
  assert.ok(Math.abs(evicted.get('other')! - seen(30)) < 1e-9, 'tolerating another key is not tolerating this one');
  assert.ok(Math.abs(evicted.get('thirty')! - (seen(30) + 30)) < 1e-9, `thirty at ${evicted.get('thirty')}`);
  assert.equal(evicted.has('forever'), false);
  assert.equal(obs.eventsWith('TaintManagerEviction').find((e) => e.name === 'thirty')!.message, 'Marking for deletion Pod default/thirty');
  // The web pod comes back elsewhere; nothing new lands on the tainted node.
  const active = run.apiServer.list('Pod').filter(isPodActive);
  assert.deepEqual(active.filter((p) => p.spec.nodeName === 'w1').map((p) => p.metadata.name), ['forever']);
  assert.equal(active.filter((p) => p.metadata.labels?.app === 'web').length, 3);
});

test('removing the taint before tolerationSeconds cancels the eviction, with upstream\'s event', () => {
  const timeline = [
    { at: '30s', run: 'kubectl taint nodes w1 maint=now:NoExecute' },
    { at: '45s', run: 'kubectl taint nodes w1 maint-' },
  ];
  const { obs, run } = runTestScenario({ duration: '90s', replicas: 3, rate: 5, extraManifests: TOLERATING, timeline });
  assert.equal(evictions(obs).has('thirty'), false);
  const cancelled = obs.eventsWith('TaintManagerEviction').filter((e) => e.message.startsWith('Cancelling'));
  assert.deepEqual(
    cancelled.map((e) => [e.time, e.kind, e.name, e.message]),
    [[seen(45), 'Pod', 'thirty', 'Cancelling deletion of Pod default/thirty']],
  );
  assert.ok(isPodActive(run.apiServer.get('Pod', 'default', 'thirty')!));
});

test('a pending eviction keeps its time when a shorter-tolerated taint follows; an untolerated one evicts now', () => {
  const SHORT = `    - apiVersion: v1
      kind: Pod
      metadata: { name: two }
      spec:
        nodeName: w1
        tolerations:
          - { key: maint, operator: Exists, effect: NoExecute, tolerationSeconds: 30 }
          - { key: drain, operator: Exists, effect: NoExecute, tolerationSeconds: 5 }
        containers: [{ name: c, image: busybox:1.36 }]
`;
  const timeline = [
    { at: '30s', run: 'kubectl taint nodes w1 maint=now:NoExecute' },
    { at: '40s', run: 'kubectl taint nodes w1 drain=now:NoExecute' },
  ];
  const { obs } = runTestScenario({ duration: '90s', rate: 1, extraManifests: SHORT, timeline });
  // processPodOnNode: createdAt 30.015 + 5 s is before 40.015 + 5 s, so the work scheduled for 60.015 stays.
  assert.ok(Math.abs(evictions(obs).get('two')! - (seen(30) + 30)) < 1e-9, `evicted at ${evictions(obs).get('two')}`);
  const untolerated = runTestScenario({ duration: '90s', rate: 1, extraManifests: SHORT, timeline: [timeline[0]!, { at: '40s', run: 'kubectl taint nodes w1 gone=now:NoExecute' }] });
  assert.ok(Math.abs(evictions(untolerated.obs).get('two')! - seen(40)) < 1e-9);
  assert.deepEqual(
    untolerated.obs.eventsWith('TaintManagerEviction').filter((e) => e.name === 'two').map((e) => e.message),
    ['Cancelling deletion of Pod default/two', 'Marking for deletion Pod default/two'],
  );
});

test('with the controller-manager stopped nothing is evicted; started again, it lists the nodes and evicts from then', () => {
  const timeline = [
    { at: '20s', run: 'kubesim stop controller-manager' },
    { at: '30s', run: 'kubectl taint nodes w1 maint=now:NoExecute' },
    { at: '50s', run: 'kubesim start controller-manager' },
  ];
  const { obs } = runTestScenario({ duration: '100s', replicas: 3, rate: 5, extraManifests: TOLERATING, timeline });
  const evicted = evictions(obs);
  const times = [...evicted.values()];
  assert.ok(times.every((t) => t >= 50), `evictions at ${times.join(', ')}`);
  assert.equal(evicted.get('other'), 50);
  assert.equal(evicted.get('thirty'), 80, 'tolerationSeconds counted from the restart');
  assert.equal(evicted.has('forever'), false);
});
