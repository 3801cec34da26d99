/**
 * default/kubernetes, as kube-apiserver creates it (kubernetes/kubernetes
 * pkg/controlplane/controller/kubernetesservice/controller.go CreateOrUpdateMasterServiceIfNeeded
 * and createPortAndServiceSpec): the first address of the service CIDR, https 443 -> 6443,
 * no selector; shown by kubectl get svc as a kubeadm cluster shows it; recreated after deletion.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioError } from '../../engine/scenario/errors.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { runTestScenario, testScenarioYaml } from '../helpers/scenario.js';

test('the kubernetes Service holds 10.96.0.1 from the start and kubectl get svc lists it', () => {
  const { run, obs } = runTestScenario({ duration: '30s', rate: 1, timeline: [{ at: '10s', run: 'kubectl get svc kubernetes' }] });
  const k = run.apiServer.get('Service', 'default', 'kubernetes')!;
  assert.equal(k.metadata.creationTimestamp, 0.01, 'one write latency after the start');
  assert.deepEqual(k.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
  assert.equal(k.spec.selector, undefined);
  assert.deepEqual(k.spec.ports, [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }]);
  assert.deepEqual([k.spec.type, k.spec.clusterIP, k.spec.clusterIPs, k.spec.ipFamilyPolicy, k.spec.ipFamilies], ['ClusterIP', '10.96.0.1', ['10.96.0.1'], 'SingleStack', ['IPv4']]);
  assert.deepEqual(obs.snapshots.map((s) => s.text), ['NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   9s']);
});

test('with another service CIDR it takes that range\'s first address', () => {
  const { run } = runTestScenario({ duration: '30s', rate: 1 }, ['spec.cluster.serviceCIDR=172.20.0.0/16']);
  assert.equal(run.apiServer.get('Service', 'default', 'kubernetes')!.spec.clusterIP, '172.20.0.1');
  const web = run.apiServer.get('Service', 'default', 'web')!.spec.clusterIP!;
  assert.match(web, /^172\.20\.\d+\.\d+$/);
});

test('deleted, it comes back at the controller\'s next 10 s tick, with the same address', () => {
  const { run, obs } = runTestScenario({ duration: '40s', rate: 1, timeline: [{ at: '13s', run: 'kubectl delete svc kubernetes' }] });
  assert.match(obs.events.find((e) => e.reason === 'Kubectl')!.message, /service "kubernetes" deleted/);
  const k = run.apiServer.get('Service', 'default', 'kubernetes')!;
  assert.equal(k.metadata.creationTimestamp, 20.01);
  assert.equal(k.spec.clusterIP, '10.96.0.1');
});

test('a manifest may not define default/kubernetes, nor take its address', () => {
  const own = (meta: string, clusterIP = '') =>
    testScenarioYaml({
      extraManifests: `    - { apiVersion: v1, kind: Service, metadata: ${meta}, spec: { ${clusterIP}selector: { app: web }, ports: [{ port: 443 }] } }\n`,
    });
  assert.throws(
    () => loadScenarioText(own('{ name: kubernetes }'), 'k.yaml'),
    (e: unknown) =>
      e instanceof ScenarioError &&
      e.message === 'k.yaml: spec.manifests[2].metadata.name: expected a Service name other than "kubernetes" in namespace default (the API server creates that Service itself), found "kubernetes"',
  );
  assert.throws(
    () => loadScenarioText(own('{ name: api }', 'clusterIP: 10.96.0.1, '), 'k.yaml'),
    (e: unknown) => e instanceof ScenarioError && e.path === 'spec.manifests[2].spec.clusterIP' && e.found === '"10.96.0.1", already the default/kubernetes Service\'s (the first address of the range)',
  );
  // In another namespace the name is free, as in a real cluster.
  assert.doesNotThrow(() =>
    loadScenarioText(
      testScenarioYaml({
        extraManifests: '    - { apiVersion: v1, kind: Namespace, metadata: { name: other } }\n    - { apiVersion: v1, kind: Service, metadata: { name: kubernetes, namespace: other }, spec: { ports: [{ port: 443 }] } }\n',
      }),
      'k.yaml',
    ),
  );
});
