/**
 * `kubesim schedule` on hand-written manifests (test/fixtures/schedule/): the JSON contract,
 * the upstream FitError wording, configuration merging, and one-line user errors.
 * Expected scores are computed by hand from the upstream formulas (see each comment).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
