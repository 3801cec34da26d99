/**
 * The kubectl verbs that create and change objects: apply -f, create deployment, run, expose,
 * patch (JSON merge patch), delete with cascading, rollout restart, get; their parsing (good
 * and bad lines) and their effect on a run; and what the loader knows about objects the
 * timeline creates.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubectlSyntaxError, parseKubectl, type CreateCommand, type RunCommand } from '../../engine/kubectl/index.js';
import { mergePatch } from '../../engine/kubectl/merge-patch.js';
import { rfc3339 } from '../../engine/kubectl/rollout.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioFile, loadScenarioText } from '../../engine/scenario/loader.js';
import { repoPath } from '../helpers/paths.js';
import { ScenarioError } from '../../engine/scenario/errors.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { kubectlOutput, runTestScenario as run, testScenarioYaml } from '../helpers/scenario.js';

function rejects(line: string, found: RegExp): void {
  assert.throws(
    () => parseKubectl(line),
    (e: unknown) => e instanceof KubectlSyntaxError && found.test(e.found),
    line,
  );
}

test('create deployment: labels app=NAME, container named after the image, replicas and port', () => {
  const c = parseKubectl('kubectl create deployment shop --image=registry.io/team/my_app:2.1 --replicas=3 --port=8080 -n prod') as CreateCommand;
  assert.equal(c.namespace, 'prod');
  assert.deepEqual(c.object.metadata.labels, { app: 'shop' });
  assert.deepEqual(c.object.spec.selector, { matchLabels: { app: 'shop' } });
  assert.deepEqual(c.object.spec.template.metadata?.labels, { app: 'shop' });
  assert.equal(c.object.spec.replicas, 3);
  assert.deepEqual(c.object.spec.template.spec.containers, [{ name: 'my-app', image: 'registry.io/team/my_app:2.1', resources: {}, ports: [{ containerPort: 8080 }] }]);
  const two = parseKubectl('kubectl create deploy x --image=nginx --image=redis@sha256:abc') as CreateCommand;
  assert.deepEqual(two.object.spec.template.spec.containers.map((x) => x.name), ['nginx', 'redis']);
  assert.equal(two.object.spec.replicas, 1);
  rejects('kubectl create deployment web', /no image/);
  rejects('kubectl create service web --image=x', /"create service"/);
  rejects('kubectl create deployment Web --image=x', /"Web"/);
  rejects('kubectl create deployment web --image=x --replicas=-1', /"-1"/);
  rejects('kubectl create deployment web --image=x --port=70000', /"70000"/);
  rejects('kubectl create deployment web --image=x --dry-run=client', /flag --dry-run/);
});

test('run: a bare pod labelled run=NAME; expose, patch, get, apply and rollout restart parse', () => {
  const r = parseKubectl('kubectl run probe --image=busybox:1.36 --port=80') as RunCommand;
  assert.deepEqual(r.object.metadata.labels, { run: 'probe' });
  assert.equal(r.object.spec.containers[0]!.name, 'probe');
  assert.equal(r.object.spec.restartPolicy, 'Always');
  assert.equal(r.object.metadata.ownerReferences, undefined);
  rejects('kubectl run probe', /no image/);
  rejects('kubectl run probe --image=x --restart=Sometimes', /"Sometimes"/);
  assert.deepEqual(parseKubectl('kubectl expose deployment web --port=80 --target-port=8080 --type=NodePort'), {
    verb: 'expose',
    resource: 'deployment',
    name: 'web',
    namespace: 'default',
    serviceName: 'web',
    port: 80,
    targetPort: 8080,
    type: 'NodePort',
    protocol: 'TCP',
  });
  rejects('kubectl expose deployment web --type=ExternalName', /"ExternalName"/);
  rejects('kubectl expose pod web --port=80', /resource "pod"/);
  assert.deepEqual(parseKubectl(`kubectl patch deployment web -p '{"spec":{"replicas":5}}'`), {
    verb: 'patch',
    resource: 'deployment',
    name: 'web',
    namespace: 'default',
    patch: { spec: { replicas: 5 } },
  });
  assert.deepEqual((parseKubectl(`kubectl patch svc web --type=merge -p 'spec: {type: NodePort}'`) as { patch: unknown }).patch, { spec: { type: 'NodePort' } });
  rejects(`kubectl patch deployment web -p '{"spec":'`, /spec/);
  rejects(`kubectl patch deployment web -p '[1]'`, /\[1\]/);
  rejects(`kubectl patch deployment web --type=json -p '[]'`, /"json"/);
  rejects('kubectl patch deployment web', /no -p/);
  rejects(`kubectl patch deployment web -p '{"metadata":{"name":"x"}}'`, /name/);
  assert.deepEqual(parseKubectl('kubectl get po,deploy -o wide -l app=web'), {
    verb: 'get',
    resources: ['pod', 'deployment'],
    names: [],
    namespace: 'default',
    allNamespaces: false,
    wide: true,
    selector: { app: 'web' },
  });
  assert.deepEqual((parseKubectl('kubectl get all -A') as { resources: string[] }).resources, ['pod', 'service', 'daemonset', 'deployment', 'replicaset', 'statefulset', 'horizontalpodautoscaler']);
  assert.deepEqual((parseKubectl('kubectl get pod/web-1') as { names: string[] }).names, ['web-1']);
  assert.equal((parseKubectl('kubectl get svc web -o yaml') as { format?: string }).format, 'yaml');
  assert.equal((parseKubectl('kubectl get svc -ojson') as { format?: string }).format, 'json');
  rejects('kubectl get pods -o name', /-o name/);
  rejects(`kubectl get pods -o jsonpath='{.items}'`, /-o jsonpath/);
  rejects('kubectl get configmaps', /resource "configmaps"/);
  rejects('kubectl get pods,svc web', /2 types/);
  rejects('kubectl get', /nothing/);
  assert.deepEqual(parseKubectl('kubectl apply -f web.yaml'), { verb: 'apply', namespace: 'default', file: 'web.yaml', objects: [] });
  rejects('kubectl apply', /no -f/);
  rejects('kubectl apply -f -', /"-"/);
  assert.equal((parseKubectl('kubectl rollout restart deployment/web') as { action: string }).action, 'restart');
  rejects('kubectl rollout restart deployment/web --to-revision=1', /--to-revision/);
  assert.deepEqual(parseKubectl('kubectl delete svc web'), { verb: 'delete', resource: 'service', namespace: 'default', name: 'web' });
  rejects('kubectl delete node w1', /resource "node"/);
});

test('JSON merge patch (RFC 7386): maps merge, null deletes, lists and scalars replace', () => {
  assert.deepEqual(mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } }), { a: 'z', c: { d: 'e' } });
  assert.deepEqual(mergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
  assert.deepEqual(mergePatch({ a: 'b' }, { a: { c: 1 } }), { a: { c: 1 } });
  assert.deepEqual(mergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
  assert.equal(rfc3339(90), '1970-01-01T00:01:30Z');
});

test('create deployment, expose, run, scale, patch, rollout restart, delete with cascade: effects', () => {
  const { run: r, obs } = run({
    duration: '4m',
    rate: 10,
    timeline: [
      { at: '5s', run: 'kubectl create deployment shop --image=nginx:1.27 --replicas=2 --port=8080' },
      { at: '6s', run: 'kubectl expose deployment shop --port=80 --target-port=8080 --type=NodePort' },
      { at: '7s', run: 'kubectl run probe --image=busybox:1.36' },
      { at: '8s', run: 'kubectl create deployment shop --image=nginx:1.27' },
      { at: '30s', run: 'kubectl scale deployment shop --replicas=3' },
      { at: '40s', run: `kubectl patch deployment web -p '{\\"spec\\":{\\"replicas\\":1}}'` },
      { at: '41s', run: `kubectl patch deployment web -p '{\\"spec\\":{\\"replicas\\":1}}'` },
      { at: '50s', run: 'kubectl rollout restart deployment/web' },
      { at: '90s', run: 'kubectl delete deployment shop' },
      { at: '91s', run: 'kubectl delete pod probe' },
      { at: '92s', run: 'kubectl delete deployment shop' },
    ],
  });
  const out = kubectlOutput(obs);
  assert.deepEqual(out, [
    'deployment.apps/shop created',
    'service/shop exposed',
    'pod/probe created',
    'error: failed to create deployment: deployments.apps "shop" already exists',
    'deployment.apps/shop scaled',
    'deployment.apps/web patched',
    'deployment.apps/web patched (no change)',
    'deployment.apps/web restarted',
    'deployment.apps "shop" deleted',
    'pod "probe" deleted',
    'Error from server (NotFound): deployments.apps "shop" not found',
  ]);
  // A patch that leaves an invalid object is refused at load time, at the command.
  assert.throws(
    () => loadScenarioText(testScenarioYaml({ timeline: [{ at: '5s', run: `kubectl patch deployment web -p '{\\"spec\\":{\\"replicas\\":-2}}'` }] }), 'test.yaml'),
    (e: unknown) => e instanceof ScenarioError && e.path === 'spec.timeline[0].run' && /a patch leaving a valid Deployment/.test(e.message) && /spec\.replicas/.test(e.message),
  );
  const api = r.apiServer;
  const svc = api.get('Service', 'default', 'shop')!;
  assert.deepEqual(svc.spec.selector, { app: 'shop' });
  assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30001 }], 'the lowest free node port after web 30000');
  // Cascade: the Deployment, its ReplicaSet and its pods are gone; the bare pod too, and not recreated.
  assert.equal(api.get('Deployment', 'default', 'shop'), undefined);
  assert.deepEqual(api.list('ReplicaSet').filter((rs) => rs.metadata.name.startsWith('shop-')), []);
  assert.deepEqual(api.list('Pod').filter((p) => p.metadata.name.startsWith('shop-') || p.metadata.name === 'probe'), []);
  // web: patched to 1 replica, then restarted: one pod of a new ReplicaSet with the restartedAt annotation.
  const web = api.get('Deployment', 'default', 'web')!;
  assert.equal(web.spec.replicas, 1);
  assert.equal(web.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'], '1970-01-01T00:00:50Z');
  const webPods = api.list('Pod').filter((p) => p.metadata.labels?.app === 'web');
  assert.equal(webPods.length, 1);
  assert.equal(webPods[0]!.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], '1970-01-01T00:00:50Z');
});

test('the loader knows objects the timeline creates; apply -f reads and validates its file at load time', () => {
  // scale of a Deployment made by create deployment validates; before it is created it does not.
  assert.doesNotThrow(() =>
    loadScenarioText(
      testScenarioYaml({ timeline: [{ at: '5s', run: 'kubectl create deployment shop --image=nginx' }, { at: '6s', run: 'kubectl scale deployment shop --replicas=2' }] }),
      'test.yaml',
    ),
  );
  assert.throws(
    () =>
      loadScenarioText(
        testScenarioYaml({ timeline: [{ at: '6s', run: 'kubectl scale deployment shop --replicas=2' }, { at: '7s', run: 'kubectl create deployment shop --image=nginx' }] }),
        'test.yaml',
      ),
    (e: unknown) => e instanceof ScenarioError && /spec\.timeline\[0\]\.run/.test(e.message) && /shop/.test(e.message),
  );
  // A load may target a Service made by expose; its type is checked.
  const loadOn = (type: string) =>
    testScenarioYaml({
      timeline: [
        { at: '5s', run: 'kubectl create deployment shop --image=nginx --port=80' },
        { at: '6s', run: `kubectl expose deployment shop --port=80 --type=${type}` },
      ],
    }).replace('target: { service: web, via: NodePort }', 'target: { service: shop, via: NodePort }');
  assert.doesNotThrow(() => loadScenarioText(loadOn('NodePort'), 'test.yaml'));
  assert.throws(() => loadScenarioText(loadOn('ClusterIP'), 'test.yaml'), (e: unknown) => e instanceof ScenarioError && /NodePort/.test(e.message));

  const dir = mkdtempSync(join(tmpdir(), 'kubesim-apply-'));
  writeFileSync(
    join(dir, 'shop.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: shop } }
  template:
    metadata: { labels: { app: shop } }
    spec: { containers: [{ name: shop, image: "nginx:1.27" }] }
---
apiVersion: v1
kind: Service
metadata: { name: shop }
spec: { type: NodePort, selector: { app: shop }, ports: [{ port: 80 }] }
`,
  );
  writeFileSync(join(dir, 'bad.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: shop }\nspec: { replicas: -1 }\n`);
  const scenarioFile = join(dir, 'scenario.yaml');
  const withApply = (file: string, extra: { at: string; run: string }[] = []) =>
    testScenarioYaml({ duration: '2m', timeline: [{ at: '5s', run: `kubectl apply -f ${file}` }, ...extra, { at: '60s', run: `kubectl apply -f ${file}` }] });
  const loaded = loadScenarioText(withApply('shop.yaml', [{ at: '30s', run: 'kubectl scale deployment shop --replicas=3' }]), scenarioFile);
  assert.ok(loaded.files.includes(join(dir, 'shop.yaml')));
  assert.throws(
    () => loadScenarioText(withApply('bad.yaml'), scenarioFile),
    (e: unknown) => e instanceof ScenarioError && e.message.includes('bad.yaml') && /documents\[0\]\.spec/.test(e.message),
  );
  assert.throws(() => loadScenarioText(withApply('missing.yaml'), scenarioFile), (e: unknown) => e instanceof ScenarioError && /missing\.yaml/.test(e.message));

  const obs = new MemoryObserver();
  const r = new ScenarioRun(loaded.scenario, obs);
  r.finish();
  assert.deepEqual(kubectlOutput(obs, 'apply'), [
    'deployment.apps/shop created',
    'service/shop created',
    'deployment.apps/shop configured',
    'service/shop unchanged',
  ]);
  assert.equal(r.apiServer.get('Deployment', 'default', 'shop')!.spec.replicas, 2, 'the file wins over the scale');
  assert.equal(r.apiServer.get('Service', 'default', 'shop')!.spec.ports[0]!.nodePort, 30001);
});

test('the scenario library examples of these verbs load and run', () => {
  for (const file of ['scenarios/kubectl-walkthrough.yaml', 'scenarios/crash-loop.yaml']) {
    const { scenario } = loadScenarioFile(repoPath(file), { duration: '5m' });
    const obs = new MemoryObserver();
    new ScenarioRun(scenario, obs).finish();
    assert.deepEqual(obs.eventsWith('KubectlError').map((e) => e.message), [], file);
    assert.deepEqual(obs.eventsWith('KubesimError').map((e) => e.message), [], file);
  }
});

test('delete daemonset and statefulset: the garbage collector removes their pods; claims stay', () => {
  const { run: r, obs } = run({
    duration: '2m',
    rate: 5,
    extraManifests: `    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec: { containers: [{ name: agent, image: "fluent-bit:3.0" }] }
    - apiVersion: apps/v1
      kind: StatefulSet
      metadata: { name: db }
      spec:
        replicas: 2
        podManagementPolicy: Parallel
        selector: { matchLabels: { app: db } }
        template:
          metadata: { labels: { app: db } }
          spec: { containers: [{ name: db, image: "redis:7" }] }
`,
    timeline: [
      { at: '40s', run: 'kubectl get ds,sts' },
      { at: '60s', run: 'kubectl delete daemonset agent' },
      { at: '61s', run: 'kubectl delete sts db' },
    ],
  });
  assert.deepEqual(kubectlOutput(obs, 'delete'), ['daemonset.apps "agent" deleted', 'statefulset.apps "db" deleted']);
  const left = r.apiServer.list('Pod').map((p) => p.metadata.name);
  assert.ok(left.every((n) => n.startsWith('web-')), left.join(' '));
  assert.equal(left.length, 3);
});
