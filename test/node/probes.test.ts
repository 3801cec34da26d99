/**
 * Readiness and liveness probes with upstream semantics (pkg/kubelet/prober): a hung app
 * fails its readiness probe and leaves the endpoints after failureThreshold x periodSeconds;
 * a failing liveness probe restarts the container.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ProbeState, probeSpec } from '../../engine/node/prober.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { testScenarioYaml } from '../helpers/scenario.js';
import type { EndpointSlice } from '../../engine/api/types.js';

test('probe defaults and thresholds', () => {
  assert.deepEqual(probeSpec({ httpGet: { path: '/' } }), { initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3, successThreshold: 1 });
  assert.equal(probeSpec(undefined), undefined);
  const p = new ProbeState(probeSpec({ failureThreshold: 2, successThreshold: 2 })!, false);
  assert.equal(p.record(true), false);
  assert.equal(p.record(true), true);
  assert.equal(p.result, true);
  assert.equal(p.record(false), false);
  assert.equal(p.record(true), false, 'a success resets the failure count');
  assert.equal(p.record(false), false);
  assert.equal(p.record(false), true);
  assert.equal(p.result, false);
});

const PODS = `    - apiVersion: v1
      kind: Pod
      metadata: { name: solo, labels: { app: web } }
      spec:
        containers:
          - name: app
            image: nginx:1.27
            readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 5, failureThreshold: 2 }
    - apiVersion: v1
      kind: Pod
      metadata: { name: lively, labels: { app: web } }
      spec:
        containers:
          - name: app
            image: nginx:1.27
            livenessProbe: { httpGet: { path: /, port: 80 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 2 }
`;

function endpointReady(run: ScenarioRun, pod: string): boolean | undefined {
  const slices = run.apiServer.list('EndpointSlice') as EndpointSlice[];
  for (const s of slices) for (const e of s.endpoints) if (e.targetRef?.name === pod) return e.conditions.ready;
  return undefined;
}

test('a hung app leaves the endpoints after failureThreshold x periodSeconds; liveness restarts it', () => {
  const obs = new MemoryObserver();
  const yaml = testScenarioYaml({
    duration: '3m',
    sampleInterval: '1s',
    rate: 20,
    extraManifests: PODS,
    timeline: [
      { at: '40s', run: 'kubesim hang pod solo' },
      { at: '40s', run: 'kubesim hang pod lively' },
    ],
  });
  const run = new ScenarioRun(loadScenarioText(yaml, 'test.yaml').scenario, obs);
  while (run.now < 40) run.advance();
  assert.equal(endpointReady(run, 'solo'), true);
  while (run.now < 44) run.advance();
  assert.equal(endpointReady(run, 'solo'), true, 'one failed probe is not enough');
  while (run.now < 52) run.advance();
  assert.equal(endpointReady(run, 'solo'), false, 'two failed probes (2 x 5 s) take it out');
  run.finish();
  const unhealthy = obs.eventsWith('Unhealthy').filter((e) => e.name === 'solo');
  assert.equal(unhealthy.length, 1);
  assert.match(unhealthy[0]!.message, /^Readiness probe failed/);
  assert.ok(unhealthy[0]!.time > 45 && unhealthy[0]!.time <= 50, `flipped at ${unhealthy[0]!.time}`);
  // The readiness probe never restarts anything: the hung pod stays hung and out of the endpoints.
  const solo = run.apiServer.get('Pod', 'default', 'solo')!;
  assert.equal(solo.status!.containerStatuses![0]!.restartCount, 0);
  assert.equal(endpointReady(run, 'solo'), false);
  // Liveness: killed after 2 failed probes, restarted at once (first restart), serving again.
  const killing = obs.events.filter((e) => e.name === 'lively' && e.reason === 'Killing');
  assert.equal(killing.length, 1);
  assert.equal(killing[0]!.message, 'Container app failed liveness probe, will be restarted');
  assert.ok(killing[0]!.time > 45 && killing[0]!.time <= 50);
  const lively = run.apiServer.get('Pod', 'default', 'lively')!;
  assert.equal(lively.status!.containerStatuses![0]!.restartCount, 1);
  assert.equal(lively.status!.containerStatuses![0]!.lastState?.terminated?.exitCode, 137);
  assert.equal(endpointReady(run, 'lively'), true);
  assert.ok(obs.summaryValues.get('requests_failed_timeout')! > 0, 'requests to the hung pods time out');
});
