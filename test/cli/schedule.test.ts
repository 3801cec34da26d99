/**
 * `kubesim schedule` on hand-written manifests (test/fixtures/schedule/): the JSON contract,
 * the upstream FitError wording, configuration merging, and one-line user errors.
 * Expected scores are computed by hand from the upstream formulas (see each comment).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoPath } from '../helpers/paths.js';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const fixture = (name: string) => repoPath(`test/fixtures/schedule/${name}`);

function kubesim(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('schedule -o json: selected node, scores, weights and the FitError message', () => {
  const r = kubesim('schedule', '-f', fixture('cluster.yaml'), '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const { results } = JSON.parse(r.stdout);
  assert.equal(results.length, 2);
  const [nginx, big] = results;
  assert.equal(nginx.pod, 'default/nginx');
  assert.equal(nginx.selectedNode, 'node1');
  assert.equal(nginx.message, null);
  assert.equal(nginx.feasibleNodesToFind, 3);
  const node1 = nginx.nodes.find((n: { name: string }) => n.name === 'node1');
  assert.equal(node1.evaluated, true);
  assert.equal(node1.feasible, true);
  assert.deepEqual(node1.filters[0], { plugin: 'NodeUnschedulable', status: 'Success', reason: null });
  // LeastAllocated: cpu (4000-1000)*100/4000 = 75, memory (8Gi-1Gi)*100/8Gi = 87 -> 81.
  assert.deepEqual(node1.scores.find((s: { plugin: string }) => s.plugin === 'NodeResourcesFit'), { plugin: 'NodeResourcesFit', score: 81, normalizedScore: 81, weight: 1, weightedScore: 81 });
  // TaintToleration 0 untolerated -> 100 x 3; BalancedAllocation |0.25 - 0.125| / 2 -> 93; ImageLocality 0.
  assert.equal(node1.totalScore, 300 + 81 + 93 + 0);
  const plugins = node1.scores.map((s: { plugin: string }) => s.plugin);
  assert.ok(!plugins.includes('PodTopologySpread') && !plugins.includes('InterPodAffinity') && !plugins.includes('NodeAffinity'), 'PreScore Skip => absent');
  const node3 = nginx.nodes.find((n: { name: string }) => n.name === 'node3');
  assert.equal(node3.feasible, false);
  assert.deepEqual(node3.filters.at(-1), { plugin: 'TaintToleration', status: 'UnschedulableAndUnresolvable', reason: 'node(s) had untolerated taint {dedicated: gpu}' });
  assert.equal(node3.totalScore, null);
  assert.equal(big.selectedNode, null);
  assert.equal(big.message, '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.');
});

test('schedule --config: filters disabled with "*" and one score plugin enabled scores every node', () => {
  const r = kubesim('schedule', '-f', fixture('cluster.yaml'), '--config', fixture('score-only.yaml'), '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const [nginx] = JSON.parse(r.stdout).results;
  for (const n of nginx.nodes) {
    assert.equal(n.feasible, true);
    assert.deepEqual(n.filters, []);
    assert.deepEqual(n.scores.map((s: { plugin: string }) => s.plugin), ['NodeResourcesFit']);
  }
  // MostAllocated on node3 (8 CPU, 8Gi): cpu 1000*100/8000 = 12, memory 1Gi*100/8Gi = 12 -> 12, weight 2.
  const node3 = nginx.nodes.find((n: { name: string }) => n.name === 'node3');
  assert.deepEqual(node3.scores[0], { plugin: 'NodeResourcesFit', score: 12, normalizedScore: 12, weight: 2, weightedScore: 24 });
  // node2 (2 CPU, 4Gi): 50, 25 -> 37, the highest.
  assert.equal(nginx.selectedNode, 'node2');
});

test('schedule: configuration errors exit 2 with the path', () => {
  const w = kubesim('schedule', '-f', fixture('cluster.yaml'), '--config', fixture('bad-weight.yaml'));
  assert.equal(w.code, 2);
  assert.match(w.stderr, /profiles\[0\]\.plugins\.score\.enabled\[0\]\.weight/);
  assert.equal(w.stderr.trim().split('\n').length, 1);
  const u = kubesim('schedule', '-f', fixture('cluster.yaml'), '--config', fixture('unknown-plugin.yaml'));
  assert.equal(u.code, 2);
  assert.match(u.stderr, /profiles\[0\]\.plugins\.filter\.enabled\[0\]\.name.*NoSuchPlugin/);
  const m = kubesim('schedule', '-f', '/nonexistent.yaml');
  assert.equal(m.code, 2);
  assert.equal(kubesim('schedule', '-f', fixture('cluster.yaml'), '-o', 'xml').code, 2);
});

test('schedule --help has examples; the table names the chosen node', () => {
  const h = kubesim('schedule', '--help');
  assert.equal(h.code, 0);
  assert.match(h.stdout, /\$ kubesim schedule/);
  const t = kubesim('schedule', '-f', fixture('cluster.yaml'));
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /default\/nginx -> node1/);
});

test('--plugin FILE: a user score plugin and a user filter plugin, enabled by name from --config (schedule and run)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-plugin-'));
  try {
    const plugin = join(dir, 'plugins.mjs');
    writeFileSync(
      plugin,
      [
        '// Prefers the node named in its args (100), every other node 0.',
        "export function PreferNode(args) { const want = args?.node ?? 'node3'; return { name: 'PreferNode', score(_state, _pod, node) { return node.name === want ? 100 : 0; } }; }",
        "export function NoNode2() { return { name: 'NoNode2', filter(_state, _pod, node) { return node.name === 'node2' ? { code: 'Unschedulable', reasons: ['node(s) were node2'] } : null; } }; }",
      ].join('\n'),
    );
    const config = join(dir, 'ksc.yaml');
    writeFileSync(
      config,
      [
        'apiVersion: kubescheduler.config.k8s.io/v1',
        'kind: KubeSchedulerConfiguration',
        'profiles:',
        '  - schedulerName: default-scheduler',
        '    plugins:',
        '      score: { enabled: [{ name: PreferNode, weight: 100 }], disabled: [{ name: "*" }] }',
        '    pluginConfig:',
        '      - { name: PreferNode, args: { node: node2 } }',
      ].join('\n'),
    );
    const r = kubesim('schedule', '-f', fixture('cluster.yaml'), '--plugin', plugin, '--config', config, '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const [nginx] = JSON.parse(r.stdout).results;
    assert.equal(nginx.selectedNode, 'node2', 'LeastAllocated alone would pick node1');
    const node2 = nginx.nodes.find((n: { name: string }) => n.name === 'node2');
    assert.deepEqual(node2.scores, [{ plugin: 'PreferNode', score: 100, normalizedScore: 100, weight: 100, weightedScore: 10000 }]);

    const filterConfig = join(dir, 'ksc-filter.yaml');
    writeFileSync(
      filterConfig,
      ['apiVersion: kubescheduler.config.k8s.io/v1', 'kind: KubeSchedulerConfiguration', 'profiles:', '  - plugins: { filter: { enabled: [{ name: NoNode2 }] } }'].join('\n'),
    );
    const f = kubesim('schedule', '-f', fixture('cluster.yaml'), '--plugin', plugin, '--config', filterConfig, '-o', 'json');
    assert.equal(f.code, 0, f.stderr);
    const [filtered] = JSON.parse(f.stdout).results;
    assert.equal(filtered.selectedNode, 'node1');
    const rejected = filtered.nodes.find((n: { name: string }) => n.name === 'node2');
    assert.equal(rejected.feasible, false);
    assert.deepEqual(rejected.filters.at(-1), { plugin: 'NoNode2', status: 'Unschedulable', reason: 'node(s) were node2' });

    // Without --plugin the configuration names an unknown plugin: a one-line user error.
    const unknown = kubesim('schedule', '-f', fixture('cluster.yaml'), '--config', config);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /PreferNode/);
    // A module that exports no plugin of the right shape.
    const bad = join(dir, 'bad.mjs');
    writeFileSync(bad, "export function Broken() { return { name: 'Other', score() { return 0; } }; }\n");
    const b = kubesim('schedule', '-f', fixture('cluster.yaml'), '--plugin', bad);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /bad\.mjs: Broken\(\)\.name: expected the export's name "Broken", found "Other"/);

    // kubesim run: a scenario's spec.scheduler enables the user plugin by name.
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      [
        'apiVersion: kubesim.dev/v1alpha1',
        'kind: Scenario',
        'metadata: { name: plugin-run }',
        'spec:',
        '  duration: 30s',
        '  scheduler:',
        '    config:',
        '      apiVersion: kubescheduler.config.k8s.io/v1',
        '      kind: KubeSchedulerConfiguration',
        '      profiles:',
        '        - schedulerName: default-scheduler',
        '          plugins: { score: { enabled: [{ name: PreferNode, weight: 100 }] } }',
        '          pluginConfig: [{ name: PreferNode, args: { node: w3 } }]',
        '  cluster:',
        '    nodes:',
        '      - { pool: w, count: 3, namePattern: "w{i}", ipStart: 10.0.0.11, capacity: { cpu: "4", memory: 8Gi } }',
        '  manifests:',
        '    - apiVersion: apps/v1',
        '      kind: Deployment',
        '      metadata: { name: app }',
        '      spec:',
        '        replicas: 3',
        '        selector: { matchLabels: { app: app } }',
        '        template:',
        '          metadata: { labels: { app: app } }',
        '          spec: { containers: [{ name: c, image: "x:1", resources: { requests: { cpu: 100m } } }] }',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const run = kubesim('run', scenario, '--plugin', plugin, '--out', out, '-q');
    assert.equal(run.code, 0, run.stderr);
    const scheduled = readFileSync(join(out, 'events.csv'), 'utf8').split('\n').filter((l) => l.includes(',Scheduled,'));
    assert.equal(scheduled.length, 3);
    for (const line of scheduled) assert.match(line, / to w3$/);
    assert.equal(kubesim('run', scenario, '--out', out, '-q').code, 2, 'without --plugin the scenario names an unknown plugin');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
