/**
 * Deployment rollouts in a running cluster: RollingUpdate stays within its surge and
 * unavailability budgets (the guarantee documented for Deployments), Recreate empties the
 * Deployment before starting the new pods, revisions and `rollout undo` behave as kubectl's.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPodActive, isPodReady } from '../../engine/api/pod-lifecycle.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import type { Scenario } from '../../engine/scenario/types.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { kubectlOutput, testScenarioYaml, type TestScenarioOptions } from '../helpers/scenario.js';

function scenario(o: TestScenarioOptions, overrides: string[] = []): Scenario {
  return loadScenarioText(testScenarioYaml(o), 'test.yaml', { overrides }).scenario;
}

function images(run: ScenarioRun): string[] {
  return run.apiServer
    .list('Pod')
    .filter(isPodActive)
    .map((p) => p.spec.containers[0]!.image)
    .sort();
}

test('set image rolls every pod to the new image, one revision up, old ReplicaSet scaled to zero', () => {
  const obs = new MemoryObserver();
  const run = new ScenarioRun(
    scenario({
      duration: '3m',
      replicas: 4,
      timeline: [
        { at: '40s', run: 'kubectl set image deployment/web web=nginx:1.28' },
        { at: '40s', run: 'kubectl rollout status deployment/web' },
        { at: '150s', run: 'kubectl rollout history deployment/web' },
      ],
    }),
    obs,
  );
  run.finish();
  assert.deepEqual(images(run), ['nginx:1.28', 'nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
  const sets = run.apiServer.list('ReplicaSet').map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec.replicas, rs.spec.template.spec.containers[0]!.image]);
  assert.deepEqual(sets, [
    ['1', 0, 'nginx:1.27'],
    ['2', 4, 'nginx:1.28'],
  ]);
  const status = kubectlOutput(obs, 'rollout status');
  assert.equal(status[0], 'Waiting for deployment spec update to be observed...');
  assert.equal(status[status.length - 1], 'deployment "web" successfully rolled out');
  assert.ok(status.some((m) => /^Waiting for deployment "web" rollout to finish: \d out of 4 new replicas have been updated\.\.\.$/.test(m)));
  assert.deepEqual(kubectlOutput(obs, 'rollout history'), ['deployment.apps/web REVISION CHANGE-CAUSE: 1 <none>; 2 <none>']);
  // Default 25%/25% of 4: surge 1, unavailable 1; the first step is a surge of one new pod.
  const scaling = obs.eventsWith('ScalingReplicaSet').map((e) => e.message);
  assert.match(scaling[1]!, /^Scaled up replica set web-\w+ from 0 to 1$/);
});

test('rollout undo goes back to the previous template, which becomes revision 3; change-cause follows', () => {
  const obs = new MemoryObserver();
  const run = new ScenarioRun(
    scenario({
      duration: '4m',
      replicas: 2,
      timeline: [
        { at: '30s', run: "kubectl annotate deployment web kubernetes.io/change-cause='first'" },
        { at: '40s', run: 'kubectl set image deployment/web web=nginx:1.28' },
        { at: '41s', run: "kubectl annotate deployment web kubernetes.io/change-cause='bump nginx' --overwrite" },
        { at: '2m', run: 'kubectl rollout undo deployment/web' },
        { at: '210s', run: 'kubectl rollout history deployment/web' },
        { at: '215s', run: 'kubectl rollout undo deployment/web --to-revision=9' },
      ],
    }),
    obs,
  );
  run.finish();
  assert.deepEqual(images(run), ['nginx:1.27', 'nginx:1.27']);
  assert.deepEqual(kubectlOutput(obs, 'rollout undo'), ['deployment.apps/web rolled back', 'error: unable to find specified revision 9 in history']);
  // Revision 1 was re-used as revision 3 and took its change-cause back with it.
  assert.deepEqual(kubectlOutput(obs, 'rollout history'), ['deployment.apps/web REVISION CHANGE-CAUSE: 2 bump nginx; 3 first']);
});

test('Recreate stops every old pod before the first new one is created', () => {
  const obs = new MemoryObserver();
  const run = new ScenarioRun(
    scenario({ duration: '2m', replicas: 3, timeline: [{ at: '40s', run: 'kubectl set image deployment/web web=nginx:1.28' }] }, [
      'spec.manifests[0].spec.strategy={type: Recreate}',
    ]),
    obs,
  );
  let oldAlive = 3;
  let newCreatedWhileOldAlive = false;
  let fewestReady = Infinity;
  run.apiServer.watch('Pod', (type, pod) => {
    const isNew = pod.spec.containers[0]!.image === 'nginx:1.28';
    if (type === 'ADDED' && isNew && oldAlive > 0) newCreatedWhileOldAlive = true;
    if (type === 'DELETED' && !isNew) oldAlive--;
    if (run.now > 40) fewestReady = Math.min(fewestReady, run.apiServer.list('Pod').filter((p) => isPodActive(p) && isPodReady(p)).length);
  });
  run.finish();
  assert.equal(oldAlive, 0);
  assert.equal(newCreatedWhileOldAlive, false);
  assert.deepEqual(images(run), ['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
  assert.equal(fewestReady, 0, 'Recreate has a window with no ready pod');
});

test('during any rolling update, ready pods >= replicas - maxUnavailable and pods <= replicas + maxSurge', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 7 }),
      fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('0%', '25%', '50%', '100%')),
      fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('0%', '25%', '50%')),
      fc.integer({ min: 0, max: 2 ** 31 }),
      (replicas, maxSurge, maxUnavailable, seed) => {
        const zero = (v: number | string) => v === 0 || v === '0%';
        fc.pre(!(zero(maxSurge) && zero(maxUnavailable)));
        const q = (v: number | string) => (typeof v === 'string' ? `"${v}"` : String(v));
        const run = new ScenarioRun(
          scenario({ seed, duration: '3m', replicas, requestCpu: '50m', rate: 5, timeline: [{ at: '45s', run: 'kubectl set image deployment/web web=nginx:1.28' }] }, [
            `spec.manifests[0].spec.strategy={type: RollingUpdate, rollingUpdate: {maxSurge: ${q(maxSurge)}, maxUnavailable: ${q(maxUnavailable)}}}`,
          ]),
          new MemoryObserver(),
        );
        // Upstream's budgets: surge rounds up, unavailability down (deployment_util.go ResolveFenceposts).
        const pct = (v: number | string, up: boolean) => (typeof v === 'number' ? v : (up ? Math.ceil : Math.floor)((Number(v.slice(0, -1)) * replicas) / 100));
        let surge = pct(maxSurge, true);
        let unavailable = pct(maxUnavailable, false);
        if (surge === 0 && unavailable === 0) unavailable = 1;
        unavailable = Math.min(unavailable, replicas);
        let worstLow = Infinity;
        let worstHigh = 0;
        const check = () => {
          if (run.now < 45) return;
          const pods = run.apiServer.list('Pod').filter(isPodActive);
          worstHigh = Math.max(worstHigh, pods.length);
          worstLow = Math.min(worstLow, pods.filter(isPodReady).length);
        };
        run.apiServer.watch('Pod', check);
        run.apiServer.watch('ReplicaSet', check);
        run.finish();
        assert.ok(worstHigh <= replicas + surge, `pods reached ${worstHigh} > ${replicas} + ${surge}`);
        assert.ok(worstLow >= replicas - unavailable, `ready pods fell to ${worstLow} < ${replicas} - ${unavailable}`);
        assert.deepEqual(images(run), Array(replicas).fill('nginx:1.28'));
      },
    ),
    { numRuns: 25 },
  );
});
