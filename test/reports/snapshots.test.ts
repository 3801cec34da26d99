/**
 * snapshots.txt: `kubectl get` in the timeline and `--snapshot AT` write kubectl's tables
 * (columns, AGE format, tabwriter layout) through the observer to the run folder.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { humanDuration } from '../../engine/kubectl/age.js';
import { tabulate } from '../../engine/kubectl/tables.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { CsvOutputs, SNAPSHOTS_FILE } from '../../reports/csv-outputs.js';
import { testScenarioYaml } from '../helpers/scenario.js';

test("AGE as kubectl's HumanDuration prints it", () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [45, '45s'],
    [119.9, '119s'],
    [120, '2m'],
    [182, '3m2s'],
    [600, '10m'],
    [179 * 60 + 59, '179m'],
    [3 * 3600, '3h'],
    [5 * 3600 + 3 * 60, '5h3m'],
    [47 * 3600, '47h'],
    [2 * 86400, '2d'],
    [3 * 86400 + 4 * 3600, '3d4h'],
    [30 * 86400, '30d'],
    [(2 * 365 + 10) * 86400, '2y10d'],
    [9 * 365 * 86400, '9y'],
  ];
  for (const [s, text] of cases) assert.equal(humanDuration(s), text, String(s));
});

test('tabwriter layout: columns padded to the widest cell plus 3, no trailing blanks', () => {
  assert.equal(tabulate([['NAME', 'READY'], ['a-long-name', '1/1']]), 'NAME          READY\na-long-name   1/1');
});

test('snapshots.txt: timeline kubectl get and --snapshot tables, hand-checked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-snap-'));
  const yaml = testScenarioYaml({
    workers: 2,
    replicas: 2,
    duration: '3m',
    rate: 5,
    extraManifests: `    - apiVersion: v1
      kind: Pod
      metadata: { name: solo, labels: { run: solo } }
      spec:
        nodeName: w1
        containers: [{ name: solo, image: "busybox:1.36" }]
`,
    timeline: [
      { at: '30s', run: 'kubesim crash pod solo' },
      { at: '60s', run: 'kubectl get pods -o wide -l run=solo' },
      { at: '61s', run: 'kubectl cordon w2' },
      { at: '62s', run: 'kubectl get deploy,rs' },
    ],
  });
  const scenario = loadScenarioText(yaml, 'test.yaml').scenario;
  const outputs = new CsvOutputs(dir);
  const run = new ScenarioRun(scenario, outputs.observer('base', 1, scenario.seed), { snapshots: [150] });
  run.finish();
  await outputs.close();
  const text = readFileSync(join(dir, SNAPSHOTS_FILE), 'utf8');
  assert.ok(text.endsWith('\n\n'));
  const sections = text.slice(0, -2).split(/\n\n(?=\[t=)/);
  assert.deepEqual(
    sections.map((s) => s.split('\n')[0]),
    [
      '[t=1m] $ kubectl get pods -o wide -l run=solo',
      '[t=1m2s] $ kubectl get deploy,rs',
      '[t=2m30s] $ kubectl get nodes',
      '[t=2m30s] $ kubectl get pods -A -o wide',
      '[t=2m30s] $ kubectl get deploy,rs,sts,ds -A',
      '[t=2m30s] $ kubectl get svc -A',
      '[t=2m30s] $ kubectl get pvc,pv -A',
    ],
  );
  // The bare pod on w1 (first IP of w1's /24 is .2: .0 network, .1 gateway), created at 0, crashed at 30 s and restarted at once.
  assert.deepEqual(sections[0]!.split('\n').slice(1), [
    'NAME   READY   STATUS    RESTARTS      AGE   IP           NODE   NOMINATED NODE   READINESS GATES',
    `solo   1/1     Running   1 (30s ago)   59s   ${sections[0]!.split('\n')[2]!.match(/10\.244\.1\.\d+/)![0]}   w1     <none>           <none>`,
  ]);
  const deployLines = sections[1]!.split('\n');
  assert.equal(deployLines[1], 'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE');
  assert.equal(deployLines[2], 'deployment.apps/web   2/2     2            2           61s');
  assert.match(sections[1]!, /\n\nNAME +DESIRED +CURRENT +READY +AGE\nreplicaset\.apps\/web-[a-z0-9]+ +2 +2 +2 +61s$/);
  assert.deepEqual(sections[2]!.split('\n').slice(1), [
    'NAME   STATUS                     ROLES           AGE     VERSION',
    'cp     Ready                      control-plane   2m29s   v1.32.0',
    'w1     Ready                      <none>          2m29s   v1.32.0',
    'w2     Ready,SchedulingDisabled   <none>          2m29s   v1.32.0',
  ]);
  const pods = sections[3]!.split('\n');
  assert.equal(pods[1], 'NAMESPACE   NAME                  READY   STATUS    RESTARTS     AGE     IP           NODE   NOMINATED NODE   READINESS GATES');
  assert.equal(pods.length, 2 + 3, 'header, two web pods and solo');
  assert.match(pods.find((l) => l.includes(' solo '))!, /^default     solo                  1\/1     Running   1 \(2m ago\)   2m29s   10\.244\.1\.\d+ +w1     <none>           <none>$/);
  // The API server's own Service holds the first address of 10.96.0.0/12; web's is drawn from the upper band (engine/api/service-ip-range.ts).
  const svcLines = sections[5]!.split('\n').slice(1);
  const webIP = svcLines[2]!.match(/^default {5}web {10}NodePort {4}(10\.\d+\.\d+\.\d+) +<none>/)?.[1];
  assert.ok(webIP, svcLines[2]);
  const w = Math.max('CLUSTER-IP'.length, webIP.length) + 3;
  assert.deepEqual(svcLines, [
    `NAMESPACE   NAME         TYPE        ${'CLUSTER-IP'.padEnd(w)}EXTERNAL-IP   PORT(S)        AGE`,
    `default     kubernetes   ClusterIP   ${'10.96.0.1'.padEnd(w)}<none>        443/TCP        2m29s`,
    `default     web          NodePort    ${webIP.padEnd(w)}<none>        80:30000/TCP   2m29s`,
  ]);
  assert.equal(sections[6]!.split('\n')[1], 'No resources found');
  // A run without any kubectl get writes no snapshots.txt.
  const dir2 = mkdtempSync(join(tmpdir(), 'kubesim-snap-'));
  const outputs2 = new CsvOutputs(dir2);
  new ScenarioRun(loadScenarioText(testScenarioYaml({ duration: '30s' }), 'test.yaml').scenario, outputs2.observer('base', 1, 1)).finish();
  await outputs2.close();
  assert.equal(existsSync(join(dir2, SNAPSHOTS_FILE)), false);
});
