import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isUserError, ScenarioError } from '../../engine/scenario/errors.js';
import { loadScenarioFile, loadScenarioText, type LoadOptions } from '../../engine/scenario/loader.js';
import { repoPath } from '../helpers/paths.js';

/** A small valid scenario as plain data; tests break one thing at a time. */
function base(): any {
  return {
    apiVersion: 'kubesim.dev/v1alpha1',
    kind: 'Scenario',
    metadata: { name: 't' },
    spec: {
      duration: '10m',
      cluster: { nodes: [{ name: 'n1', ip: '10.0.0.1' }, { pool: 'w', count: 2, ipStart: '10.0.0.11' }] },
      manifests: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: {
            selector: { matchLabels: { app: 'web' } },
            template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
          },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] } },
      ],
      load: [
        {
          name: 'users',
          target: { service: 'web', via: 'NodePort' },
          arrivals: { type: 'poisson', rate: 10 },
          serviceTime: '20ms',
        },
      ],
      timeline: [{ at: '1m', run: 'kubectl scale deployment web --replicas=2' }],
    },
  };
}

function load(doc: unknown, options?: LoadOptions) {
  return loadScenarioText(typeof doc === 'string' ? doc : stringify(doc), 'test.yaml', options);
}

function errorOf(doc: unknown, options?: LoadOptions): ScenarioError {
  try {
    load(doc, options);
  } catch (e) {
    assert.ok(isUserError(e), `expected a ScenarioError, got ${(e as Error).stack}`);
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    return e;
  }
  assert.fail('expected a ScenarioError');
}

function broken(mutate: (doc: any) => void): ScenarioError {
  const doc = base();
  mutate(doc);
  return errorOf(doc);
}

test('book-lab loads: 4 nodes with the right names, IPs, labels and taints', () => {
  const { scenario, sha256, files } = loadScenarioFile(repoPath('scenarios/book-lab.yaml'));
  assert.deepEqual(
    scenario.cluster.nodes.map((n) => [n.name, n.ip, n.role]),
    [
      ['m-k8s', '192.168.1.10', 'control-plane'],
      ['w1-k8s', '192.168.1.101', 'worker'],
      ['w2-k8s', '192.168.1.102', 'worker'],
      ['w3-k8s', '192.168.1.103', 'worker'],
    ],
  );
  const [master, w1] = scenario.cluster.nodes;
  assert.equal(master!.labels['node-role.kubernetes.io/control-plane'], '');
  assert.deepEqual(master!.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  assert.deepEqual(w1!.capacity, { cpuMilli: 2000, memoryBytes: 2 * 2 ** 30, pods: 110 });
  assert.equal(w1!.labels['kubernetes.io/hostname'], 'w1-k8s');
  assert.equal(scenario.cluster.podCIDR, '172.16.0.0/16');
  assert.equal(scenario.seed, 1);
  assert.equal(scenario.duration, 600);
  assert.equal(scenario.sampleInterval, 5);
  assert.equal(scenario.load[0]!.serviceTime.dist, 'lognormal');
  assert.deepEqual(scenario.load[0]!.arrivals, { type: 'poisson', rate: 200 });
  assert.deepEqual(scenario.timeline.map((t) => t.at), [120, 240, 360]);
  assert.match(sha256, /^[0-9a-f]{64}$/);
  assert.equal(files.length, 1);
});

test('defaults are applied: namespace, replicas, nodePort, targetPort, stop, timeout', () => {
  const { scenario } = load(base());
  const [deployment, service] = scenario.manifests as any[];
  assert.equal(deployment.metadata.namespace, 'default');
  assert.equal(deployment.spec.replicas, 1);
  assert.equal(service.spec.ports[0].nodePort, 30000);
  assert.equal(service.spec.ports[0].targetPort, 80);
  assert.equal(scenario.load[0]!.stop, 600);
  assert.equal(scenario.load[0]!.timeout, 30);
  assert.deepEqual(scenario.load[0]!.serviceTime, { dist: 'constant', value: 0.02 });
  assert.deepEqual(scenario.cluster.nodes.map((n) => n.name), ['n1', 'w-1', 'w-2']);
  assert.equal(scenario.cluster.podCIDR, '10.244.0.0/16');
});

test('timeline is sorted stably by time', () => {
  const doc = base();
  doc.spec.timeline = [
    { at: '3m', run: 'kubectl scale deploy web --replicas=1' },
    { at: '1m', run: 'kubectl delete pod -l app=web' },
    { at: '3m', run: 'kubectl scale deploy web --replicas=4' },
  ];
  const { scenario } = load(doc);
  assert.deepEqual(scenario.timeline.map((t) => t.run), [doc.spec.timeline[1].run, doc.spec.timeline[0].run, doc.spec.timeline[2].run]);
});

test('unknown field: path and allowed names', () => {
  const e = broken((d) => (d.spec.seeds = 1));
  assert.equal(e.path, 'spec');
  assert.equal(e.file, 'test.yaml');
  assert.match(e.message, /^test\.yaml: spec: expected one of the fields seed, duration, .*found unknown field "seeds"$/);
});

test('wrong type', () => {
  const e = broken((d) => (d.spec.seed = 'abc'));
  assert.equal(e.message, 'test.yaml: spec.seed: expected an integer >= 0 and <= 4294967295, found string "abc"');
});

test('negative rate', () => {
  const e = broken((d) => (d.spec.load[0].arrivals.rate = -5));
  assert.equal(e.path, 'spec.load[0].arrivals.rate');
  assert.match(e.message, /expected a number > 0 and <= 1000000, found -5$/);
});

test('bad duration', () => {
  const e = broken((d) => (d.spec.duration = '10 minutes'));
  assert.equal(e.path, 'spec.duration');
  assert.match(e.message, /expected a duration .* found string "10 minutes"$/);
});

test('unknown kind', () => {
  const e = broken((d) => d.spec.manifests.push({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' } }));
  assert.equal(e.path, 'spec.manifests[2].kind');
  assert.match(e.message, /expected one of the supported kinds \(Pod, Service, .*\), found kind CronJob$/);
});

test('a Service selecting nothing', () => {
  const e = broken((d) => (d.spec.manifests[1].spec.selector = { app: 'wbe' }));
  assert.equal(e.path, 'spec.manifests[1].spec.selector');
  assert.match(e.message, /found app=wbe, which selects nothing$/);
});

test('selector that does not match the template labels', () => {
  const e = broken((d) => (d.spec.manifests[0].spec.template.metadata.labels = { app: 'other' }));
  assert.equal(e.path, 'spec.manifests[0].spec.template.metadata.labels');
  assert.match(e.message, /selector does not match template labels/);
});

test('unsupported kubectl verb', () => {
  const e = broken((d) => (d.spec.timeline[0].run = 'kubectl frobnicate deployment web'));
  assert.equal(e.path, 'spec.timeline[0].run');
  assert.match(e.message, /expected a supported kubectl command \(apply -f, create deployment, .*\), found verb "frobnicate"$/);
  const sub = broken((d) => (d.spec.timeline[0].run = 'kubectl rollout pause deployment web'));
  assert.match(sub.message, /expected kubectl rollout status, history, undo or restart, found "rollout pause"$/);
});

test('scale of a Deployment that does not exist', () => {
  const e = broken((d) => (d.spec.timeline[0].run = 'kubectl scale deployment api --replicas=2'));
  assert.equal(e.path, 'spec.timeline[0].run');
  assert.match(e.message, /found "api"$/);
});

test('invalid YAML reports line and column', () => {
  const e = errorOf('apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: [unclosed\n');
  assert.equal(e.file, 'test.yaml');
  assert.match(e.path, /^line \d+, column \d+$/);
  assert.match(e.message, /^test\.yaml: line \d+, column \d+: expected valid YAML, found /);
});

test('duplicate keys are refused with their line', () => {
  const e = errorOf('apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nkind: Scenario\n');
  assert.match(e.path, /^line 3/);
});

test('an alias bomb (billion laughs) is refused', () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const e = errorOf(lines.join('\n') + '\n');
  assert.match(e.message, /alias/);
});

test('exactly one document', () => {
  assert.match(errorOf(stringify(base()) + '---\n' + stringify(base())).message, /exactly one YAML document.*found 2 documents/);
  assert.match(errorOf('').message, /found 0 documents/);
});

test('too many nodes for the pod CIDR, duplicate names and IPs', () => {
  const cidr = broken((d) => {
    d.spec.cluster.podCIDR = '10.0.0.0/23';
  });
  assert.equal(cidr.path, 'spec.cluster.podCIDR');
  assert.match(cidr.message, /room for 2$/);
  const name = broken((d) => d.spec.cluster.nodes.push({ name: 'w-2', ip: '10.0.0.99' }));
  assert.equal(name.path, 'spec.cluster.nodes[2].name');
  const ip = broken((d) => d.spec.cluster.nodes.push({ name: 'x', ip: '10.0.0.12' }));
  assert.equal(ip.path, 'spec.cluster.nodes[2].ip');
});

test('lognormal with an impossible p99 errors at that path', () => {
  const e = broken((d) => (d.spec.load[0].serviceTime = { dist: 'lognormal', mean: '20ms', p99: '10ms' }));
  assert.equal(e.path, 'spec.load[0].serviceTime.p99');
});

test('load references: missing service, ClusterIP service via NodePort, bad port, unknown node', () => {
  assert.equal(broken((d) => (d.spec.load[0].target.service = 'api')).path, 'spec.load[0].target.service');
  assert.equal(broken((d) => (d.spec.manifests[1].spec.type = 'ClusterIP')).path, 'spec.load[0].target.via');
  assert.equal(broken((d) => (d.spec.load[0].target.port = 81)).path, 'spec.load[0].target.port');
  assert.equal(broken((d) => (d.spec.load[0].target.nodes = ['n1', 'n9'])).path, 'spec.load[0].target.nodes[1]');
});

test('namespaces must exist; duplicate objects and nodePorts are refused', () => {
  const ns = broken((d) => (d.spec.manifests[0].metadata.namespace = 'shop'));
  assert.equal(ns.path, 'spec.manifests[0].metadata.namespace');
  const dup = broken((d) => d.spec.manifests.push(structuredClone(d.spec.manifests[0])));
  assert.equal(dup.path, 'spec.manifests[2].metadata.name');
  const port = broken((d) => {
    d.spec.manifests[1].spec.ports[0].nodePort = 30001;
    d.spec.manifests.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 81, nodePort: 30001 }] } });
  });
  assert.equal(port.path, 'spec.manifests[2].spec.ports[0].nodePort');
});

test('unknown fields inside manifests are kept untouched', () => {
  const doc = base();
  doc.spec.manifests[0].spec.template.spec.containers[0].livenessProbe = { httpGet: { path: '/', port: 80 } };
  doc.spec.manifests[0].metadata.annotations = { note: 'x' };
  const { scenario } = load(doc);
  const d = scenario.manifests[0] as any;
  assert.deepEqual(d.spec.template.spec.containers[0].livenessProbe, { httpGet: { path: '/', port: 80 } });
  assert.deepEqual(d.metadata.annotations, { note: 'x' });
});

test('--set applies before validation, --seed and --duration too', () => {
  const { scenario } = load(base(), {
    overrides: ['spec.load[0].arrivals.rate=500', 'spec.manifests[0].spec.replicas=5', 'metadata.description=hello world'],
    seed: 3,
    duration: '1h',
  });
  assert.deepEqual(scenario.load[0]!.arrivals, { type: 'poisson', rate: 500 });
  assert.equal((scenario.manifests[0] as any).spec.replicas, 5);
  assert.equal(scenario.description, 'hello world');
  assert.equal(scenario.seed, 3);
  assert.equal(scenario.duration, 3600);
  // An override is validated like the file.
  assert.equal(errorOf(base(), { overrides: ['spec.seed=-1'] }).path, 'spec.seed');
});

test('a bad --set path names the argument', () => {
  const missing = errorOf(base(), { overrides: ['spec.load[3].arrivals.rate=5'] });
  assert.equal(missing.path, '--set spec.load[3].arrivals.rate=5');
  assert.match(missing.message, /expected an index below 1/);
  const through = errorOf(base(), { overrides: ['spec.duration.x=1'] });
  assert.match(through.message, /^--set spec\.duration\.x=1: expected a mapping at spec\.duration, found string/);
  assert.match(errorOf(base(), { overrides: ['nonsense'] }).message, /PATH=VALUE/);
  assert.match(errorOf(base(), { overrides: ['__proto__.x=1'] }).message, /PATH=VALUE/);
});

test('manifests from a file: several documents, errors name the file and document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-loader-'));
  const doc = base();
  const [deployment, service] = doc.spec.manifests;
  writeFileSync(join(dir, 'app.yaml'), `${stringify(deployment)}---\n${stringify(service)}---\n`);
  doc.spec.manifests = [{ file: 'app.yaml' }];
  writeFileSync(join(dir, 'scenario.yaml'), stringify(doc));
  const { scenario, files } = loadScenarioFile(join(dir, 'scenario.yaml'));
  assert.deepEqual(scenario.manifests.map((m) => m.kind), ['Deployment', 'Service']);
  assert.deepEqual(files, [join(dir, 'scenario.yaml'), join(dir, 'app.yaml')]);

  service.spec.ports[0].port = 70000;
  writeFileSync(join(dir, 'app.yaml'), `${stringify(deployment)}---\n${stringify(service)}`);
  const e = (() => {
    try {
      loadScenarioFile(join(dir, 'scenario.yaml'));
    } catch (err) {
      return err as ScenarioError;
    }
    assert.fail('expected an error');
  })();
  assert.equal(e.file, join(dir, 'app.yaml'));
  assert.equal(e.path, 'documents[1].spec.ports[0].port');
});

test('unreadable files are user errors naming the file', () => {
  assert.throws(
    () => loadScenarioFile('/nonexistent/scenario.yaml'),
    (e: unknown) => isUserError(e) && e.message === '/nonexistent/scenario.yaml: expected a readable YAML file, found no such file',
  );
  assert.throws(() => load({ ...base(), spec: { ...base().spec, manifests: [{ file: 'missing.yaml' }] } }), (e: unknown) => isUserError(e) && /missing\.yaml/.test(e.message));
});

test('serving annotations must be integers in range', () => {
  const text = readFileSync(repoPath('scenarios/book-lab.yaml'), 'utf8').replace(
    '              app: echo-hname\n          spec:',
    '              app: echo-hname\n            annotations:\n              serving.kubesim.dev/workers: "0"\n          spec:',
  );
  assert.throws(
    () => loadScenarioText(text, 'x.yaml'),
    (e: Error) =>
      e.message ===
      'x.yaml: spec.manifests[0].spec.template.metadata.annotations["serving.kubesim.dev/workers"]: expected an integer from 1 to 1000000, as a string, found "0"',
  );
});
