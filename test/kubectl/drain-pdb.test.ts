/**
 * kubectl drain under PodDisruptionBudgets (kubectl/pkg/drain evictPods): a refused eviction is
 * printed and retried every 5 s until the budget allows it; --timeout ends the drain with
 * kubectl's errors; --disable-eviction deletes regardless of the budget. And the property the
 * budget exists for: evictions never take the healthy pods it selects below minAvailable.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPodReady, isTerminating } from '../../engine/api/pod-lifecycle.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { kubectlOutput, runTestScenario as run, testScenarioYaml } from '../helpers/scenario.js';

const PDB = (minAvailable: number) => `    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: web }
      spec: { minAvailable: ${minAvailable}, selector: { matchLabels: { app: web } } }
`;
const RETRY = /^error when evicting pods\/"(web-\S+)" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.$/;

function lines(obs: MemoryObserver): { time: number; text: string }[] {
  return obs.events.filter((e) => e.reason.startsWith('Kubectl')).map((e) => ({ time: e.time, text: e.message.replace(/^kubectl drain [^:]*: /, '') }));
}

test('a drain blocked by the budget prints the 429 and retries every 5 s until a replacement is Ready, then completes', () => {
  // 6 replicas over 3 workers, minAvailable 5: one disruption at a time, and w1 holds two.
  const { run: r, obs } = run({ duration: '3m', replicas: 6, rate: 5, extraManifests: PDB(5), timeline: [{ at: '60s', run: 'kubectl drain w1 --ignore-daemonsets' }] });
  const out = lines(obs);
  const retries = out.filter((l) => RETRY.test(l.text));
  assert.ok(retries.length >= 1, 'the second pod of w1 waits for the budget');
  // Every retry of a pod comes 5 s after the previous one, and is announced by `evicting pod`.
  const blocked = RETRY.exec(retries[0]!.text)![1]!;
  const attempts = out.filter((l) => l.text === `evicting pod default/${blocked}`).map((l) => l.time);
  assert.equal(attempts.length, retries.filter((l) => l.text.includes(blocked)).length + 1);
  for (let i = 2; i < attempts.length; i++) assert.ok(Math.abs(attempts[i]! - attempts[i - 1]! - 5) < 1e-9, `attempt ${i} at +5 s`);
  assert.equal(out[out.length - 1]!.text, 'node/w1 drained');
  assert.ok(r.apiServer.list('Pod').every((p) => p.spec.nodeName !== 'w1'));
});

test('--timeout ends a drain the budget never allows with kubectl\'s errors; the budget-held pod stays', () => {
  // minAvailable 6 of 6: no disruption is ever allowed.
  const { run: r, obs } = run({ duration: '2m', replicas: 6, rate: 5, extraManifests: PDB(6), timeline: [{ at: '40s', run: 'kubectl drain w1 --ignore-daemonsets --timeout=12s' }] });
  const out = lines(obs).map((l) => l.text);
  const names = [...new Set(out.map((t) => RETRY.exec(t)?.[1]).filter((n): n is string => n !== undefined))];
  assert.equal(names.length, 2, 'both pods of w1 refused');
  const errors = names.map((n) => `error when evicting pods/"${n}" -n "default": global timeout reached: 12s`);
  const agg = `[${errors.join(', ')}]`;
  assert.deepEqual(out.slice(-7), [
    `There are pending pods in node "w1" when an error occurred: ${agg}`,
    ...names.map((n) => `pod/${n}`),
    `error: unable to drain node "w1" due to error: ${agg}, continuing command...`,
    'There are pending nodes to be drained:',
    ' w1',
    `error: ${agg}`,
  ]);
  assert.equal(out.filter((t) => RETRY.test(t)).length, 6, 'attempts at 0, 5, 10 s refused; the one at 15 s reports the timeout');
  assert.equal(r.apiServer.list('Pod').filter((p) => p.spec.nodeName === 'w1' && !isTerminating(p)).length, 2);
});

test('--disable-eviction deletes the pods at once, bypassing the budget (pod/NAME deleted)', () => {
  const { run: r, obs } = run({ duration: '2m', replicas: 6, rate: 5, extraManifests: PDB(6), timeline: [{ at: '40s', run: 'kubectl drain w1 --ignore-daemonsets --disable-eviction' }] });
  const out = lines(obs).map((l) => l.text);
  assert.equal(out.filter((t) => t.startsWith('evicting') || RETRY.test(t)).length, 0);
  assert.equal(out.filter((t) => /^pod\/web-\S+ deleted$/.test(t)).length, 2);
  assert.equal(out[out.length - 1], 'node/w1 drained');
  assert.ok(r.apiServer.list('Pod').every((p) => p.spec.nodeName !== 'w1'));
});

test('property: evictions never take the Ready pods a budget selects below its minAvailable', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 1000 }), (minAvailable, extra, seed) => {
      const replicas = minAvailable + extra;
      const yaml = testScenarioYaml({ duration: '150s', replicas, rate: 5, seed, extraManifests: PDB(minAvailable), timeline: [{ at: '45s', run: 'kubectl drain w1 --ignore-daemonsets' }] });
      const obs = new MemoryObserver();
      const sim = new ScenarioRun(loadScenarioText(yaml, 'test.yaml').scenario, obs);
      const api = sim.apiServer;
      const healthy = () => api.list('Pod').filter((p) => p.metadata.labels?.app === 'web' && isPodReady(p) && !isTerminating(p)).length;
      let evictions = 0;
      let before = 0;
      // Sample on every eviction: the Eviction API's delete is the write that sets deletionTimestamp.
      const seen = new Set<string>();
      api.watch('Pod', (type, p) => {
        if (type !== 'MODIFIED' || !isTerminating(p) || seen.has(p.metadata.uid!)) return;
        seen.add(p.metadata.uid!);
        evictions++;
        assert.ok(healthy() >= minAvailable, `after eviction ${evictions}: ${healthy()} Ready pods < minAvailable ${minAvailable}`);
      });
      api.watch('Pod', () => {
        before = Math.max(before, healthy());
      });
      sim.finish();
      const onW1 = kubectlOutput(obs).filter((m) => m.includes('evicting pod')).length;
      // Not vacuous: with room in the budget the drain evicted, and without room it evicted nothing.
      if (extra === 0) assert.equal(evictions, 0);
      else if (onW1 > 0) assert.ok(evictions > 0 && before >= minAvailable);
    }),
    { numRuns: 12, seed: 7 },
  );
});
