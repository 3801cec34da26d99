/**
 * `kubectl get -o yaml|json` in the timeline: the object for one name of one type, else a v1
 * List (kubernetes/kubectl pkg/cmd/get/get.go printGeneric), printed as kubectl's printers print
 * unstructured objects (k8s.io/cli-runtime/pkg/printers json.go: MarshalIndent, 4 spaces;
 * yaml.go: sigs.k8s.io/yaml). Outputs are parsed back with the yaml package and checked field
 * by field against the API server's objects.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { runTestScenario } from '../helpers/scenario.js';

const annotated = `    - apiVersion: v1
      kind: Service
      metadata: { name: notes, annotations: { note: "a<b & c>d" } }
      spec: { clusterIP: 10.96.0.10, selector: { app: web }, ports: [{ port: 53, protocol: UDP }] }
`;

function outputs() {
  const { run, obs } = runTestScenario({
    duration: '40s',
    rate: 1,
    extraManifests: annotated,
    timeline: [
      { at: '30s', run: 'kubectl get svc web -o yaml' },
      { at: '30s', run: 'kubectl get svc -o json' },
      { at: '30s', run: 'kubectl get pods -o yaml' },
      { at: '30s', run: 'kubectl get svc nope -o yaml' },
      { at: '30s', run: 'kubectl get svc web nope -o json' },
      { at: '30s', run: 'kubectl get pods -l app=none -o json' },
      { at: '30s', run: 'kubectl get nodes w1 -o json' },
    ],
  });
  return { api: run.apiServer, texts: obs.snapshots.map((s) => s.text) };
}

test('-o yaml of one Service: the object, keys sorted, every field as stored, times in RFC 3339', () => {
  const { api, texts } = outputs();
  const web = api.get('Service', 'default', 'web')!;
  const o = parse(texts[0]!);
  assert.deepEqual(Object.keys(o), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.equal(o.apiVersion, 'v1');
  assert.equal(o.kind, 'Service');
  assert.deepEqual(o.metadata, {
    // Created one write latency (10 ms) into the run; metav1.Time keeps whole seconds from 1970-01-01T00:00:00Z.
    creationTimestamp: '1970-01-01T00:00:00Z',
    name: 'web',
    namespace: 'default',
    resourceVersion: web.metadata.resourceVersion,
    uid: web.metadata.uid,
  });
  assert.equal(typeof o.metadata.resourceVersion, 'string', 'quoted in the YAML');
  assert.deepEqual(o.spec, {
    clusterIP: web.spec.clusterIP,
    clusterIPs: [web.spec.clusterIP],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ nodePort: 30000, port: 80, protocol: 'TCP', targetPort: 80 }],
    selector: { app: 'web' },
    sessionAffinity: 'None',
    type: 'NodePort',
  });
  assert.deepEqual(o.status, { loadBalancer: {} });
  // sigs.k8s.io/yaml layout: a sequence is not indented under its key; strings that read as other types are quoted.
  assert.match(texts[0]!, /\n {2}clusterIPs:\n {2}- 10\.\d+\.\d+\.\d+\n/);
  assert.match(texts[0]!, /\n {2}creationTimestamp: "1970-01-01T00:00:00Z"\n/);
});

test('-o json of a type: a v1 List of every object, 4-space indentation, HTML characters escaped as Go does', () => {
  const { api, texts } = outputs();
  const list = JSON.parse(texts[1]!);
  assert.deepEqual(Object.keys(list), ['apiVersion', 'items', 'kind', 'metadata']);
  assert.deepEqual([list.apiVersion, list.kind, list.metadata], ['v1', 'List', { resourceVersion: '' }]);
  assert.deepEqual(list.items.map((s: { metadata: { name: string } }) => s.metadata.name), ['kubernetes', 'notes', 'web'], 'the API lists by name');
  const notes = list.items[1];
  assert.deepEqual(notes.spec.clusterIPs, ['10.96.0.10']);
  assert.deepEqual(notes.spec.ports, [{ port: 53, protocol: 'UDP', targetPort: 53 }]);
  assert.deepEqual(notes.metadata.annotations, { note: 'a<b & c>d' });
  assert.ok(texts[1]!.includes('"note": "a\\u003cb \\u0026 c\\u003ed"'), 'json.Marshal escapes <, >, &');
  assert.equal(list.items[0].spec.clusterIP, api.get('Service', 'default', 'kubernetes')!.spec.clusterIP);
  assert.match(texts[1]!, /^\{\n {4}"apiVersion": "v1",\n {4}"items": \[\n {8}\{\n/);
});

test('-o yaml of pods: a List whose pod times are RFC 3339 strings of the simulated times', () => {
  const { api, texts } = outputs();
  const list = parse(texts[2]!);
  assert.equal(list.kind, 'List');
  const pods = api.list('Pod').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  assert.deepEqual(list.items.map((p: { metadata: { name: string } }) => p.metadata.name), pods.map((p) => p.metadata.name));
  for (const [i, pod] of pods.entries()) {
    const item = list.items[i];
    assert.equal(item.status.podIP, pod.status!.podIP);
    assert.equal(item.spec.nodeName, pod.spec.nodeName);
    const iso = (s: number) => new Date(Math.floor(s) * 1000).toISOString().replace('.000Z', 'Z');
    assert.equal(item.status.startTime, iso(pod.status!.startTime!));
    assert.equal(item.status.containerStatuses[0].state.running.startedAt, iso(pod.status!.containerStatuses![0]!.state.running!.startedAt));
    assert.equal(item.metadata.ownerReferences[0].kind, 'ReplicaSet');
    assert.equal(item.metadata.generation, undefined, 'pods have no generation before Kubernetes 1.33');
  }
});

test('a missing name: only kubectl NotFound for one name; a List and the error for several; an empty List for nothing', () => {
  const { texts } = outputs();
  assert.equal(texts[3], 'Error from server (NotFound): services "nope" not found');
  const [json, error] = [texts[4]!.slice(0, texts[4]!.lastIndexOf('\n')), texts[4]!.slice(texts[4]!.lastIndexOf('\n') + 1)];
  assert.deepEqual(JSON.parse(json).items.map((s: { metadata: { name: string } }) => s.metadata.name), ['web']);
  assert.equal(error, 'Error from server (NotFound): services "nope" not found');
  assert.deepEqual(JSON.parse(texts[5]!), { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } });
  const node = JSON.parse(texts[6]!);
  assert.deepEqual([node.kind, node.metadata.name, node.spec.podCIDR, node.status.addresses[0]], ['Node', 'w1', '10.244.1.0/24', { address: '10.0.0.11', type: 'InternalIP' }]);
});
