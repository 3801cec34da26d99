/**
 * `kubectl get hpa|pdb|ingress|endpointslices`: kubectl's tables
 * (pkg/printers/internalversion/printers.go printHorizontalPodAutoscaler + formatHPAMetrics,
 * printPodDisruptionBudget, printIngress + formatHosts/formatPorts, printEndpointSlice +
 * formatDiscoveryPorts/formatDiscoveryEndpoints), their aliases, `all`, errors, -o yaml.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { formatQuantity } from '../../engine/api/quantity.js';
import { KubectlSyntaxError, parseKubectl } from '../../engine/kubectl/index.js';
import { formatHPAMetrics, type MetricStatus } from '../../engine/kubectl/tables-autoscaling.js';
import { formatDiscoveryEndpoints, formatDiscoveryPorts, formatHosts } from '../../engine/kubectl/tables-network.js';
import type { MetricSpec, MetricTarget } from '../../engine/controllers/hpa/types.js';
import { runTestScenario } from '../helpers/scenario.js';

const external = (target: MetricTarget): MetricSpec => ({
  type: 'External',
  external: { metric: { name: 'some-external-metric', selector: { matchLabels: { label: 'value' } } }, target },
});
const pods: MetricSpec = { type: 'Pods', pods: { metric: { name: 'some-pods-metric' }, target: { type: 'AverageValue', averageValue: '100m' } } };
const object: MetricSpec = {
  type: 'Object',
  object: { describedObject: { kind: 'Service', name: 'some-service' }, metric: { name: 'some-service-metric' }, target: { type: 'Value', value: '100m' } },
};
const cpuValue: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } } };
const cpuUtil: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };
const containerUtil: MetricSpec = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 80 } } };

test('TARGETS: the cases of upstream TestPrintHPA (printers_test.go), without and with a current value', () => {
  const cases: [MetricSpec[], MetricStatus[], string][] = [
    [[], [], '<none>'],
    [[external({ type: 'AverageValue', averageValue: '100m' })], [], '<unknown>/100m (avg)'],
    [[external({ type: 'AverageValue', averageValue: '100m' })], [{ type: 'External', external: { current: { averageValue: '50m' } } }], '50m/100m (avg)'],
    [[external({ type: 'Value', value: '100m' })], [], '<unknown>/100m'],
    [[external({ type: 'Value', value: '100m' })], [{ type: 'External', external: { current: { value: '50m' } } }], '50m/100m'],
    [[pods], [], '<unknown>/100m'],
    [[pods], [{ type: 'Pods', pods: { current: { averageValue: '50m' } } }], '50m/100m'],
    [[object], [], '<unknown>/100m'],
    [[object], [{ type: 'Object', object: { current: { value: '50m' } } }], '50m/100m'],
    [[cpuValue], [], 'cpu: <unknown>/100m'],
    [[cpuValue], [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '50m' } } }], 'cpu: 50m/100m'],
    [[cpuUtil], [], 'cpu: <unknown>/80%'],
    [[cpuUtil], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '10' } } }], 'cpu: 50%/80%'],
    [[containerUtil], [], 'cpu: <unknown>/80%'],
    [[containerUtil], [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 50 } } }], 'cpu: 50%/80%'],
  ];
  for (const [specs, statuses, expected] of cases) assert.equal(formatHPAMetrics(specs, statuses), expected, JSON.stringify(specs));
});

test('TARGETS: several metrics joined with ", ", two shown then "+ N more..."; a failed metric is <unknown>; no target utilization is <auto>', () => {
  const all = [pods, object, cpuUtil, containerUtil];
  const statuses: MetricStatus[] = [{ type: 'Pods', pods: { current: { averageValue: '50m' } } }, {}, { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50 } } }];
  assert.equal(formatHPAMetrics(all.slice(0, 2), statuses), '50m/100m, <unknown>/100m');
  assert.equal(formatHPAMetrics(all.slice(0, 3), statuses), '50m/100m, <unknown>/100m + 1 more...');
  assert.equal(formatHPAMetrics(all, statuses), '50m/100m, <unknown>/100m + 2 more...');
  assert.equal(formatHPAMetrics([{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization' } } }], []), 'memory: <unknown>/<auto>');
});

test('Quantity.String(): canonical DecimalSI, BinarySI and exponent forms', () => {
  const cases: [string | number, string][] = [
    ['100m', '100m'],
    [0.1, '100m'],
    ['1.5', '1500m'],
    ['0.5', '500m'],
    ['2000', '2k'],
    [1000000, '1M'],
    ['1.5k', '1500'],
    ['0', '0'],
    ['1Gi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['512', '512'],
    ['0.5Gi', '512Mi'],
    ['1e3', '1e3'],
    ['100e-3', '100e-3'],
  ];
  for (const [text, expected] of cases) assert.equal(formatQuantity(text), expected, String(text));
});

test('formatHosts, formatDiscoveryPorts, formatDiscoveryEndpoints: three shown, "+ N more...", "*" and "<unset>" when empty', () => {
  assert.equal(formatHosts([]), '*');
  assert.equal(formatHosts([{}]), '*');
  assert.equal(formatHosts([{ host: 'a.example' }, {}, { host: 'b.example' }]), 'a.example,b.example');
  assert.equal(formatHosts([{ host: 'a' }, { host: 'b' }, { host: 'c' }]), 'a,b,c');
  // Upstream counts the rules beyond the third, hosts or not.
  assert.equal(formatHosts([{ host: 'a' }, { host: 'b' }, { host: 'c' }, {}, { host: 'e' }]), 'a,b,c + 2 more...');
  assert.equal(formatDiscoveryPorts([]), '<unset>');
  assert.equal(formatDiscoveryPorts([{ port: 80 }, { name: 'metrics' }, {}]), '80,metrics,*');
  assert.equal(formatDiscoveryPorts([{ port: 80 }, { port: 81 }, { port: 82 }, { port: 83 }]), '80,81,82 + 1 more...');
  assert.equal(formatDiscoveryEndpoints([]), '<unset>');
  assert.equal(formatDiscoveryEndpoints([{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3'] }]), '10.0.0.1,10.0.0.2,10.0.0.3');
  assert.equal(
    formatDiscoveryEndpoints([{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }, { addresses: ['10.0.0.5'] }]),
    '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...',
  );
});

test('aliases: every kubectl spelling; `all` ends with the HPAs; unknown types are errors naming the supported types', () => {
  const resources = (line: string) => (parseKubectl(line) as { resources: string[] }).resources;
  for (const w of ['hpa', 'horizontalpodautoscaler', 'horizontalpodautoscalers', 'horizontalpodautoscaler.autoscaling']) assert.deepEqual(resources(`kubectl get ${w}`), ['horizontalpodautoscaler']);
  for (const w of ['pdb', 'poddisruptionbudget', 'poddisruptionbudgets', 'poddisruptionbudget.policy']) assert.deepEqual(resources(`kubectl get ${w}`), ['poddisruptionbudget']);
  for (const w of ['ing', 'ingress', 'ingresses', 'ingress.networking.k8s.io']) assert.deepEqual(resources(`kubectl get ${w}`), ['ingress']);
  for (const w of ['endpointslice', 'endpointslices', 'endpointslice.discovery.k8s.io']) assert.deepEqual(resources(`kubectl get ${w}`), ['endpointslice']);
  assert.deepEqual(resources('kubectl get all'), ['pod', 'service', 'daemonset', 'deployment', 'replicaset', 'statefulset', 'horizontalpodautoscaler']);
  assert.deepEqual((parseKubectl('kubectl get hpa/web') as { names: string[] }).names, ['web']);
  for (const word of ['eps', 'ingressclasses', 'hpas', 'configmaps']) {
    assert.throws(
      () => parseKubectl(`kubectl get ${word}`),
      (e: unknown) => e instanceof KubectlSyntaxError && e.found === `resource "${word}"` && /hpa, pdb, ingress, endpointslices, events, all/.test(e.expected),
      word,
    );
  }
});

const extra = `    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: web }
      spec: { maxUnavailable: 25%, selector: { matchLabels: { app: web } } }
    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: { name: web-min }
      spec: { minAvailable: 2, selector: { matchLabels: { app: batch } } }
    - apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: { name: web }
      spec:
        ingressClassName: nginx
        rules:
          - host: shop.example.com
            http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
          - host: api.example.com
            http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
    - apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: { name: catch-all }
      spec:
        rules:
          - http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
`;

/** Timeline commands at the same time run one after another, each after the previous one's API round trip (10 ms). */
function tables() {
  const { run, obs } = runTestScenario({
    // Five replicas under a trickle of load: the HPA's recommendation (its minimum, 2) waits out
    // the 5-minute downscale stabilization, so the run keeps 5 pods and the tables stay put.
    duration: '70s',
    replicas: 5,
    rate: 1,
    hpa: { minReplicas: 2, maxReplicas: 6 },
    extraManifests: extra,
    timeline: [
      { at: '5s', run: 'kubectl get hpa' },
      { at: '1m', run: 'kubectl get hpa' },
      { at: '1m', run: 'kubectl get pdb' },
      { at: '1m', run: 'kubectl get ing' },
      { at: '1m', run: 'kubectl get endpointslices' },
      { at: '1m', run: 'kubectl get all' },
      { at: '1m', run: 'kubectl get hpa web -o yaml' },
      { at: '1m', run: 'kubectl get pdb,hpa -A' },
      { at: '1m', run: 'kubectl get hpa nope' },
    ],
  });
  return { api: run.apiServer, texts: obs.snapshots.map((s) => s.text) };
}

test('get hpa: REFERENCE, TARGETS <unknown> before the first sync then the current utilization, MINPODS, MAXPODS, REPLICAS, AGE', () => {
  const { api, texts } = tables();
  const hpa = api.get('HorizontalPodAutoscaler', 'default', 'web')!;
  const util = (hpa.status?.currentMetrics as MetricStatus[])[0]!.resource!.current.averageUtilization;
  assert.equal(typeof util, 'number');
  // Before the controller's first sync (15 s) status has no currentMetrics and no currentReplicas;
  // the HPA was created one write latency (10 ms) into the run, so it is 4 s old at 5 s.
  assert.equal(
    texts[0],
    ['NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE', 'web    Deployment/web   cpu: <unknown>/50%   2         6         0          4s'].join('\n'),
  );
  const targets = `cpu: ${util}%/50%`;
  const replicas = String(hpa.status!.currentReplicas);
  const w = Math.max('TARGETS'.length, targets.length) + 3;
  assert.equal(
    texts[1],
    [
      `NAME   REFERENCE        ${'TARGETS'.padEnd(w)}MINPODS   MAXPODS   REPLICAS   AGE`,
      `web    Deployment/web   ${targets.padEnd(w)}2         6         ${replicas.padEnd(11)}59s`,
    ].join('\n'),
  );
});

test('get pdb: the field set as written (IntOrString), N/A for the other, ALLOWED DISRUPTIONS from status', () => {
  const { api, texts } = tables();
  const allowed = (name: string) => String(api.get('PodDisruptionBudget', 'default', name)!.status!.disruptionsAllowed);
  // web: 5 Ready pods, maxUnavailable 25% of 5 rounds up to 2 (desiredHealthy 3, 2 allowed).
  // web-min selects no pod (two budgets over the same pods would leave the second unsynced, as
  // upstream's getPdbForPod picks one): 0 healthy of minAvailable 2 allows none.
  assert.deepEqual([allowed('web'), allowed('web-min')], ['2', '0']);
  assert.equal(
    texts[2],
    [
      'NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE',
      'web       N/A             25%               2                     60s',
      'web-min   2               N/A               0                     60s',
    ].join('\n'),
  );
});

test('get ingress: CLASS (<none> without one), HOSTS (* without any), ADDRESS empty until a controller publishes one, PORTS 80', () => {
  const { texts } = tables();
  assert.equal(
    texts[3],
    [
      'NAME        CLASS    HOSTS                              ADDRESS   PORTS   AGE',
      'catch-all   <none>   *                                            80      60s',
      'web         nginx    shop.example.com,api.example.com             80      60s',
    ].join('\n'),
  );
});

test('get endpointslices: one slice per Service named after it, ADDRESSTYPE, PORTS, ENDPOINTS with "+ N more..." past three', () => {
  const { api, texts } = tables();
  const slices = api.list('EndpointSlice', 'default').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const lines = texts[4]!.split('\n');
  assert.match(lines[0]!, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/);
  assert.equal(lines.length, slices.length + 1);
  for (const [i, s] of slices.entries()) {
    const cells = lines[i + 1]!.split(/\s{3,}/);
    const addresses = s.endpoints.flatMap((e) => e.addresses);
    const endpoints = addresses.length > 3 ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...` : addresses.join(',') || '<unset>';
    assert.deepEqual(cells, [s.metadata.name, 'IPv4', s.ports.map((p) => String(p.port)).join(',') || '<unset>', endpoints, '60s'].slice(0, cells.length));
  }
  const web = slices.find((s) => s.metadata.name.startsWith('web'))!;
  assert.equal(web.endpoints.length, 5, 'the web Service has its 5 replicas');
  assert.match(lines.find((l) => l.startsWith('web'))!, /^web-?\S*\s+IPv4\s+80\s+10\.244\.\d+\.\d+,10\.244\.\d+\.\d+,10\.244\.\d+\.\d+ \+ 2 more\.\.\.\s+60s$/);
});

test('get all: the HPA last, as horizontalpodautoscaler.autoscaling/NAME; -o yaml; -A with several types; NotFound', () => {
  const { texts } = tables();
  const blocks = texts[5]!.split('\n\n');
  assert.match(blocks.at(-1)!, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nhorizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web\s+cpu: \d+%\/50%/);
  const o = parse(texts[6]!);
  assert.equal(o.apiVersion, 'autoscaling/v2');
  assert.equal(o.kind, 'HorizontalPodAutoscaler');
  assert.equal(o.metadata.creationTimestamp, '1970-01-01T00:00:00Z');
  assert.equal(o.status.currentMetrics[0].type, 'Resource');
  assert.match(texts[7]!, /^NAMESPACE\s+NAME\s+MIN AVAILABLE.*\ndefault\s+poddisruptionbudget\.policy\/web\s+N\/A\s+25%/);
  assert.match(texts[7]!, /\n\nNAMESPACE\s+NAME\s+REFERENCE.*\ndefault\s+horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web/);
  assert.equal(texts[8], 'Error from server (NotFound): horizontalpodautoscalers.autoscaling "nope" not found');
});
