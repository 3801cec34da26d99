/**
 * kubectl writing Services prints the API server's answer about cluster IPs, as kubectl does:
 * `The Service "x" is invalid: spec.clusterIPs...` for an address taken at run time (apply),
 * a change of the immutable first cluster IP (patch), and `unchanged` for a re-apply that
 * leaves the allocated fields out (pkg/registry/core/service/storage/storage.go
 * patchAllocatedValues, kubectl apply's three-way merge).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioFile } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { kubectlOutput, testScenarioYaml } from '../helpers/scenario.js';

function runWithFiles(files: Record<string, string>, timeline: { at: string; run: string }[], extraManifests = ''): { obs: MemoryObserver; run: ScenarioRun } {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-svcw-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 's.yaml'), testScenarioYaml({ duration: '1m', rate: 1, timeline, extraManifests }));
  const obs = new MemoryObserver();
  const run = new ScenarioRun(loadScenarioFile(join(dir, 's.yaml')).scenario, obs);
  run.finish();
  return { obs, run };
}

const API = 'apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { selector: { app: web }, ports: [{ port: 8080 }] }\n';

test('apply: created, then unchanged on a re-apply without the allocated fields; the address stays', () => {
  const { obs, run } = runWithFiles({ 'api.yaml': API }, [
    { at: '20s', run: 'kubectl apply -f api.yaml' },
    { at: '30s', run: 'kubectl apply -f api.yaml' },
  ]);
  assert.deepEqual(kubectlOutput(obs, 'apply'), ['service/api created', 'service/api unchanged']);
  assert.match(run.apiServer.get('Service', 'default', 'api')!.spec.clusterIP!, /^10\.\d+\.\d+\.\d+$/);
});

test('apply of an address another Service holds: kubectl prints the allocator refusal and nothing is created', () => {
  const taken = API.replace('selector:', 'clusterIP: 10.96.0.10, selector:');
  const { obs, run } = runWithFiles({ 'api.yaml': taken }, [{ at: '20s', run: 'kubectl apply -f api.yaml' }], '    - { apiVersion: v1, kind: Service, metadata: { name: dns }, spec: { clusterIP: 10.96.0.10, selector: { app: web }, ports: [{ port: 53 }] } }\n');
  assert.deepEqual(kubectlOutput(obs, 'apply'), [
    'The Service "api" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
  ]);
  assert.equal(obs.eventsWith('KubectlError').length, 1);
  assert.equal(run.apiServer.get('Service', 'default', 'api'), undefined);
});

test('patch of the cluster IP: may not change once set; patching another field keeps it', () => {
  const { obs, run } = runWithFiles({}, [
    { at: '20s', run: "kubectl patch svc web -p '{spec: {clusterIP: 10.96.0.99}}'" },
    { at: '21s', run: "kubectl patch svc web -p '{spec: {sessionAffinity: ClientIP}}'" },
  ]);
  const patchOutput = obs.events.filter((e) => e.message.startsWith('kubectl patch')).map((e) => e.message.slice(e.message.indexOf("}}': ") + 5));
  assert.deepEqual(patchOutput, ['The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set', 'service/web patched']);
  const spec = run.apiServer.get('Service', 'default', 'web')!.spec;
  assert.notEqual(spec.clusterIP, '10.96.0.99');
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.deepEqual(spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } }, 'SetDefaults_Service on the update');
});
