/**
 * The command line as a user meets it: exit codes (0 ok, 2 user error with one line and no
 * stack trace), help with examples, the files a run writes.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoPath } from '../helpers/paths.js';

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

function kubesim(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-cli-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function assertUserError(r: { code: number; stderr: string }, ...fragments: string[]): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  for (const f of fragments) assert.ok(r.stderr.includes(f), `stderr should mention ${f}: ${r.stderr}`);
}

test('--version prints the package version', () => {
  const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
  const r = kubesim('--version');
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('every command has --help with an example', () => {
  for (const args of [['--help'], ['run', '--help'], ['validate', '--help'], ['schema', '--help'], ['bench', '--help']]) {
    const r = kubesim(...args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /Examples?:/, args.join(' '));
    assert.match(r.stdout, /\$ kubesim /, args.join(' '));
  }
});

test('validate accepts the default scenario', () => {
  const r = kubesim('validate', repoPath('scenarios/book-lab.yaml'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid scenario "book-lab": 4 nodes/);
});

test('validate on a broken file exits 2 with file, path, expected and found on one line', () => {
  const text = readFileSync(repoPath('scenarios/book-lab.yaml'), 'utf8').replace('rate: 200', 'rate: -5');
  const file = tempFile('broken.yaml', text);
  assertUserError(kubesim('validate', file), file, 'spec.load[0].arrivals.rate', 'expected', '-5');
});

test('a missing file, bad YAML, an unsupported kubectl verb: exit 2, one line', () => {
  assertUserError(kubesim('validate', '/nonexistent/scenario.yaml'), '/nonexistent/scenario.yaml');
  const bad = tempFile('bad.yaml', 'apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nspec: [unclosed\n');
  assertUserError(kubesim('validate', bad), bad, 'line');
  const verb = readFileSync(repoPath('scenarios/book-lab.yaml'), 'utf8').replace(
    'run: kubectl scale deployment echo-hname --replicas=5',
    'run: kubectl frobnicate deployment echo-hname',
  );
  assertUserError(kubesim('validate', tempFile('verb.yaml', verb)), 'spec.timeline[0].run', 'frobnicate');
});

test('a clusterIP outside the service CIDR, an unsupported get -o: exit 2, one line at the path', () => {
  const lab = readFileSync(repoPath('scenarios/book-lab.yaml'), 'utf8');
  const ip = lab.replace('        type: NodePort\n', '        type: NodePort\n        clusterIP: 10.0.0.5\n');
  assert.notEqual(ip, lab);
  assertUserError(kubesim('validate', tempFile('ip.yaml', ip)), 'spec.clusterIP', 'is not in the valid range. The range of valid IPs is 10.96.0.0/12', '"10.0.0.5"');
  const output = lab.replace('run: kubectl scale deployment echo-hname --replicas=5', 'run: kubectl get svc -o jsonpath={.items}');
  assertUserError(kubesim('validate', tempFile('output.yaml', output)), 'spec.timeline[0].run', '-o jsonpath');
});

test('bad flags exit 2', () => {
  assertUserError(kubesim('run', '--seed', 'abc'), '--seed', 'abc');
  assertUserError(kubesim('run', '--duration', 'soon'), '--duration', 'soon');
  assertUserError(kubesim('run', '--set', 'spec.nope[3]=1'), '--set');
  assert.equal(kubesim('run', '--no-such-flag').code, 2);
  assert.equal(kubesim('frobnicate').code, 2);
});

test('run writes the five outputs with the documented columns', () => {
  const out = mkdtempSync(join(tmpdir(), 'kubesim-run-'));
  const r = kubesim('run', '--duration', '40s', '--out', out, '--seed', '3');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /kubesim run book-lab: seed 3, 40s simulated/);
  assert.ok(r.stdout.includes(out));
  const header = (file: string) => readFileSync(join(out, file), 'utf8').split('\n')[0];
  assert.equal(header('timeseries.csv'), 'variant,run,seed,time_s,kind,namespace,name,metric,value');
  assert.equal(header('events.csv'), 'variant,run,time_s,type,reason,kind,namespace,name,message');
  assert.equal(header('totals.csv'), 'variant,run,kind,namespace,name,metric,value');
  assert.match(header('summary.csv')!, /^variant,run,seed,requests,requests_served,requests_failed,/);
  const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { seeds: number[]; scenario: { sha256: string } };
  assert.deepEqual(meta.seeds, [3]);
  assert.match(meta.scenario.sha256, /^[0-9a-f]{64}$/);
  assert.ok(existsSync(join(out, 'summary.csv')));
});

test('schema prints the committed JSON Schema', () => {
  const r = kubesim('schema');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, readFileSync(repoPath('scenarios/scenario.schema.json'), 'utf8'));
});
