/**
 * `kubesim hpa`: the JSON contract, flags, and user errors. Expectations are computed by hand
 * from upstream's rules (replica_calculator.go, horizontal.go), on the objects of upstream's
 * TestReplicaCalcScaleUp: three pods of two containers requesting 1 CPU each, using 300m,
 * 500m and 700m per container, a 30% target.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const NOW = '2026-01-01T00:00:00Z';

function kubesim(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-hpa-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function objects(opts: { replicas?: number; behavior?: string } = {}): string {
  const docs = [
    `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: php-apache, namespace: default }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: php-apache }
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: { name: cpu, target: { type: Utilization, averageUtilization: 30 } }
${opts.behavior ?? ''}
status: { currentReplicas: 3 }`,
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: php-apache }
spec: { replicas: ${opts.replicas ?? 3}, selector: { matchLabels: { run: php-apache } } }
status: { replicas: 3 }`,
  ];
  [300, 500, 700].forEach((level, i) => {
    docs.push(`apiVersion: v1
kind: Pod
metadata: { name: php-apache-${i}, labels: { run: php-apache } }
spec:
  containers:
  - { name: c1, image: php, resources: { requests: { cpu: "1" } } }
  - { name: c2, image: php, resources: { requests: { cpu: "1" } } }
status:
  phase: Running
  startTime: "2025-12-31T23:00:00Z"
  conditions: [{ type: Ready, status: "True", lastTransitionTime: "2025-12-31T23:00:05Z" }]`);
    docs.push(`apiVersion: metrics.k8s.io/v1beta1
kind: PodMetrics
metadata: { name: php-apache-${i}, namespace: default }
timestamp: "2025-12-31T23:59:45Z"
window: 15s
containers: [{ name: c1, usage: { cpu: ${level}m } }, { name: c2, usage: { cpu: ${level}m } }]`);
  });
  return docs.join('\n---\n');
}

const HISTORY_ZERO = `apiVersion: kubesim.dev/v1alpha1
kind: HorizontalPodAutoscalerHistory
metadata: { name: php-apache, namespace: default }
recommendations: [{ replicas: 3, timestamp: "0001-01-01T00:00:00Z" }]
scaleUpEvents: []
scaleDownEvents: []`;

test('hpa -o json: the contract, with the old recommendation overwritten in place', () => {
  const r = kubesim('hpa', '-f', file('all.yaml', objects()), '-f', file('history.yaml', HISTORY_ZERO), '--now', NOW, '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    hpa: 'default/php-apache',
    currentReplicas: 3,
    metrics: [{ type: 'Resource', name: 'cpu', currentAverageUtilization: 50, currentAverageValueMilli: 1000, currentValueMilli: null, replicas: 5 }],
    recommendation: 5,
    stabilizedRecommendation: 5,
    desiredReplicas: 5,
    limitReason: 'DesiredWithinRange',
    recommendationsAfter: [{ replicas: 5, timestamp: NOW }],
  });
});

test('without a history the controller first records the current size (recordInitialRecommendation)', () => {
  const r = kubesim('hpa', `--filename=${file('all.yaml', objects())}`, `--now=${NOW}`, '-o=json');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).recommendationsAfter, [
    { replicas: 3, timestamp: NOW },
    { replicas: 5, timestamp: NOW },
  ]);
});

test('--recommendation 0 skips the metrics; the 5m scale-down window keeps the recent 3', () => {
  const r = kubesim('hpa', '-f', file('all.yaml', objects()), '--now', NOW, '--recommendation', '0', '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual([out.metrics, out.recommendation, out.stabilizedRecommendation, out.desiredReplicas, out.limitReason], [[], 0, 3, 3, 'DesiredWithinRange']);
});

test('behavior policies limit the step: Pods 1 per 60s gives ScaleUpLimit', () => {
  const behavior = `  behavior:
    scaleUp: { policies: [{ type: Pods, value: 1, periodSeconds: 60 }] }`;
  const r = kubesim('hpa', '-f', file('all.yaml', objects({ behavior })), '--now', NOW, '-o', 'json', '--horizontal-pod-autoscaler-tolerance=0.1');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual([out.recommendation, out.desiredReplicas, out.limitReason], [5, 4, 'ScaleUpLimit']);
});

test('a target above maxReplicas is brought down without computing metrics', () => {
  const r = kubesim('hpa', '-f', file('all.yaml', objects({ replicas: 12 })), '--now', NOW, '-o', 'json');
  const out = JSON.parse(r.stdout);
  assert.deepEqual([out.currentReplicas, out.desiredReplicas, out.recommendation, out.limitReason], [12, 10, null, 'TooManyReplicas']);
});

test('the table names the SuccessfulRescale reason as upstream words it', () => {
  const r = kubesim('hpa', '-f', file('all.yaml', objects()), '--now', NOW);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /New size: 5; reason: cpu resource utilization \(percentage of request\) above target/);
});

test('user errors exit 2 with one line naming the file and path', () => {
  const bad = file('bad.yaml', objects().replace('maxReplicas: 10', 'maxReplicas: zero'));
  const r = kubesim('hpa', '-f', bad, '--now', NOW);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /bad\.yaml \(document 1\): spec\.maxReplicas: expected an integer/);
  assert.equal(kubesim('hpa', '-f', bad, '--now', 'yesterday').code, 2);
  assert.equal(kubesim('hpa', '-f', file('a.yaml', objects()), '--recommendation', '-1').code, 2);
});

test('hpa --help has examples', () => {
  const r = kubesim('hpa', '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /\$ kubesim hpa /);
});
