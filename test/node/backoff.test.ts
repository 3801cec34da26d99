/**
 * The kubelet's container restart back-off (CrashLoopBackOff), against upstream: the first
 * crash restarts at once, then 10, 20, 40, ... s capped at 300 s (pkg/kubelet/kubelet.go
 * backOffPeriod, MaxContainerBackOff), reset when the container ran more than 10 min (2 x max,
 * client-go flowcontrol.Backoff), and what a crash looping pod looks like in the API.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { goDuration, RestartBackoff } from '../../engine/node/backoff.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { testScenarioYaml, type TestScenarioOptions } from '../helpers/scenario.js';
import { ScenarioError } from '../../engine/scenario/errors.js';

test('RestartBackoff: immediate, then 10, 20, 40, ... capped at 300 s; reset after 10 min running', () => {
  const b = new RestartBackoff({ initial: 10, max: 300 });
  let now = 0;
  const waits: number[] = [];
  // The container runs 1 s, crashes, waits its back-off, restarts: nine times.
  for (let i = 0; i < 9; i++) {
    now += 1;
    const finishedAt = now;
    const wait = b.remaining('p/c', finishedAt, now);
    waits.push(wait);
    now += wait;
    b.next('p/c', finishedAt, now);
  }
  assert.deepEqual(waits, [0, 10, 20, 40, 80, 160, 300, 300, 300]);
  // Running 10 min and a bit makes the container stable again: restart at once, then 10 s.
  now += 601;
  assert.equal(b.remaining('p/c', now, now), 0);
  b.next('p/c', now, now);
  now += 1;
  assert.equal(b.remaining('p/c', now, now), 10);
  // Exactly 10 min is not enough (hasExpired uses >).
  const c = new RestartBackoff({ initial: 10, max: 300 });
  c.next('k', 0, 0);
  c.next('k', 1, 11);
  assert.equal(c.remaining('k', 611, 611), 20);
  assert.equal(goDuration(10), '10s');
  assert.equal(goDuration(300), '5m0s');
  assert.equal(goDuration(80), '1m20s');
});

const SOLO = (extra = '') => `    - apiVersion: v1
      kind: Pod
      metadata: { name: solo, labels: { app: web }${extra} }
      spec:
        containers:
          - name: app
            image: nginx:1.27
`;

function start(o: TestScenarioOptions): { run: ScenarioRun; obs: MemoryObserver } {
  const obs = new MemoryObserver();
  return { run: new ScenarioRun(loadScenarioText(testScenarioYaml(o), 'test.yaml').scenario, obs), obs };
}

function until(run: ScenarioRun, t: number): void {
  while (!run.done && run.now < t - 1e-9) run.advance();
}

test('a crash looping pod: restarts delayed 0, 10, 20, ... 300 s, BackOff events, restartCount, reset after 10 min', () => {
  const crashes = [20, 30, 50, 80, 130, 220, 390, 700, 1010, 1915, 1925];
  const { run, obs } = start({
    duration: '33m',
    rate: 20,
    serviceTime: '1s',
    extraManifests: SOLO(),
    timeline: crashes.map((t) => ({ at: `${t}s`, run: 'kubesim crash pod solo' })),
  });
  until(run, 60);
  const waiting = run.apiServer.get('Pod', 'default', 'solo')!;
  const cs = waiting.status!.containerStatuses![0]!;
  assert.equal(cs.state.waiting?.reason, 'CrashLoopBackOff');
  assert.match(cs.state.waiting!.message!, /^back-off 20s restarting failed container=app pod=solo_default\(/);
  assert.equal(cs.lastState?.terminated?.reason, 'Error');
  assert.equal(cs.lastState?.terminated?.exitCode, 1);
  assert.equal(cs.restartCount, 2);
  assert.equal(waiting.status!.phase, 'Running');
  assert.ok(waiting.status!.conditions!.some((c) => c.type === 'Ready' && c.status === 'False'), 'not Ready while backing off');
  run.finish();

  const solo = (reason: string) => obs.events.filter((e) => e.name === 'solo' && e.reason === reason);
  assert.equal(obs.eventsWith('KubesimError').length, 0, JSON.stringify(obs.eventsWith('KubesimError')));
  // The restart decision is when the kubelet looks for the image again ("already present").
  const decisions = solo('Pulled').slice(1).map((e) => e.time);
  const delays = decisions.map((t, i) => Math.round(t - crashes[i]!));
  assert.deepEqual(delays, [0, 10, 20, 40, 80, 160, 300, 300, 300, 0, 10]);
  const backOffs = solo('BackOff');
  assert.equal(backOffs.length, 9, 'one per delayed restart');
  assert.equal(backOffs[0]!.type, 'Warning');
  assert.match(backOffs[0]!.message, /^Back-off restarting failed container app in pod solo_default\(.+\)$/);
  assert.equal(solo('Started').length, 1 + crashes.length);
  const pod = run.apiServer.get('Pod', 'default', 'solo')!;
  assert.equal(pod.status!.containerStatuses![0]!.restartCount, crashes.length);
  assert.ok(obs.summaryValues.get('requests_failed_connection_reset')! > 0, 'in-flight requests reset by the crashes');
});

test('mean-time-to-crash annotation: crashes happen and are restarted; a bad value is a validation error', () => {
  const { run, obs } = start({
    duration: '20m',
    rate: 5,
    extraManifests: SOLO(', annotations: { serving.kubesim.dev/mean-time-to-crash: 2m }'),
  });
  run.finish();
  const restarts = run.apiServer.get('Pod', 'default', 'solo')!.status!.containerStatuses![0]!.restartCount;
  assert.ok(restarts >= 2, `restarts ${restarts}`);
  assert.ok(obs.eventsWith('BackOff').length >= 1);
  assert.throws(
    () => loadScenarioText(testScenarioYaml({ extraManifests: SOLO(', annotations: { serving.kubesim.dev/mean-time-to-crash: soon }') }), 'test.yaml'),
    (e: unknown) => e instanceof ScenarioError && /mean-time-to-crash/.test(e.message) && /"soon"/.test(e.message),
  );
});
