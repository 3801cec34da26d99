/**
 * `kubectl get events`: the API server's Events (engine/api/event-store.ts: client-go's
 * correlator counting exact repeats, the 1h --event-ttl) in kubectl's event table
 * (printEvent), in the API's list order, with -A, -o wide, -o yaml and --field-selector.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { EVENT_TTL_SECONDS, EventStore, MAX_STORED, PRUNE_TO } from '../../engine/api/event-store.js';
import { KubectlSyntaxError, parseKubectl } from '../../engine/kubectl/index.js';
import { runTestScenario } from '../helpers/scenario.js';

const pod = (name: string) => ({ kind: 'Pod', metadata: { name, namespace: 'default' } });

test('store: an exact repeat counts on the same event; another message is another event', () => {
  const s = new EventStore();
  s.record(10, 'Warning', 'FailedScheduling', pod('a'), '0/3 nodes are available');
  s.record(40.5, 'Warning', 'FailedScheduling', pod('a'), '0/3 nodes are available');
  s.record(50, 'Warning', 'FailedScheduling', pod('a'), '0/2 nodes are available');
  const list = s.list(60);
  assert.equal(list.length, 2);
  const [first, second] = list;
  assert.equal(first!.metadata.name, 'a.00000002540be400'); // 10 s in nanoseconds, hex
  assert.equal(first!.count, 2);
  assert.equal(first!.firstTimestamp, 10);
  assert.equal(first!.lastTimestamp, 40.5);
  assert.equal(first!.source.component, 'default-scheduler');
  assert.equal(second!.count, 1);
  assert.equal(second!.message, '0/2 nodes are available');
});

test('store: an event expires --event-ttl (1h) after it was last written; a later repeat re-creates it with the remembered count', () => {
  const s = new EventStore();
  s.record(0, 'Normal', 'Killing', pod('a'), 'Stopping container web');
  s.record(100, 'Normal', 'Killing', pod('a'), 'Stopping container web');
  assert.equal(s.list(100 + EVENT_TTL_SECONDS - 0.001).length, 1);
  assert.equal(s.list(100 + EVENT_TTL_SECONDS).length, 0);
  s.record(5000, 'Normal', 'Killing', pod('a'), 'Stopping container web');
  const [e] = s.list(5000);
  assert.equal(e!.count, 3);
  assert.equal(e!.firstTimestamp, 0);
  assert.equal(e!.metadata.creationTimestamp, 5000);
  assert.equal(e!.metadata.name, 'a.0000000000000000');
});

test('store: node events live in default; kubesim records (Kubectl, Kubesim...) are not Events; list order is namespace then name', () => {
  const s = new EventStore();
  s.record(1, 'Normal', 'NodeNotReady', { kind: 'Node', metadata: { name: 'w1' } }, 'Node w1 status is now: NodeNotReady');
  s.record(2, 'Normal', 'Kubectl', { kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } }, 'kubectl scale: scaled');
  s.record(3, 'Warning', 'Kubesim', { kind: 'Cluster', metadata: { name: 'scheduler' } }, 'stop');
  s.record(4, 'Normal', 'Scheduled', { kind: 'Pod', metadata: { name: 'b', namespace: 'apps' } }, 'x');
  s.record(5, 'Normal', 'Scheduled', pod('a'), 'x');
  assert.deepEqual(
    s.list(10).map((e) => `${e.metadata.namespace}/${e.metadata.name}`),
    ['apps/b.00000000ee6b2800', 'default/a.000000012a05f200', 'default/w1.000000003b9aca00'],
  );
  assert.deepEqual(s.list(10, 'apps').map((e) => e.involvedObject.name), ['b']);
  const node = s.list(10, 'default').find((e) => e.involvedObject.kind === 'Node')!;
  assert.equal(node.involvedObject.namespace, undefined);
  assert.equal(node.source.component, 'node-controller');
});

test('store: memory is bounded: past MAX_STORED the least recently seen go, down to PRUNE_TO', () => {
  const s = new EventStore();
  for (let i = 0; i <= MAX_STORED; i++) s.record(i / 100, 'Normal', 'Scheduled', pod(`p${i}`), 'x');
  const list = s.list(MAX_STORED / 100);
  // One prune, at the (MAX_STORED + 1)th: down to PRUNE_TO, the oldest first.
  assert.equal(list.length, PRUNE_TO);
  const names = new Set(list.map((e) => e.involvedObject.name));
  assert.ok(!names.has('p0') && !names.has(`p${MAX_STORED - PRUNE_TO}`), 'the least recently seen are gone');
  assert.ok(names.has(`p${MAX_STORED - PRUNE_TO + 1}`) && names.has(`p${MAX_STORED}`), 'the newest stay');
});

test('parse: events, ev; --field-selector only for events and on the fields the API server selects by', () => {
  for (const line of ['kubectl get events', 'kubectl get ev', 'kubectl get event -A']) assert.deepEqual((parseKubectl(line) as { resources: string[] }).resources, ['event']);
  assert.deepEqual((parseKubectl('kubectl get ev --field-selector involvedObject.name=web,type==Warning') as { fieldSelector: unknown }).fieldSelector, {
    'involvedObject.name': 'web',
    type: 'Warning',
  });
  assert.throws(() => parseKubectl('kubectl get pods --field-selector status.phase=Running'), KubectlSyntaxError);
  assert.throws(() => parseKubectl('kubectl get ev --field-selector spec.x=1'), KubectlSyntaxError);
});

const FAILED =
  '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';

test('timeline: a scale-up leaves a pod pending; its FailedScheduling repeats count up; after 1h the early events are gone', () => {
  // Two 2-CPU workers, 1500m per pod: the third replica never fits. The scheduler retries it
  // every 5m30s (podMaxInUnschedulablePodsDuration) from 30.055s; each retry is the same message.
  const { obs } = runTestScenario({
    replicas: 2,
    workers: 2,
    requestCpu: '1500m',
    rate: 1,
    duration: '75m',
    sampleInterval: '60s',
    timeline: [
      { at: '30s', run: 'kubectl scale deployment web --replicas=3' },
      { at: '10m', run: 'kubectl get events --field-selector reason=FailedScheduling -o wide' },
      { at: '10m', run: 'kubectl get events' },
      { at: '65m', run: 'kubectl scale deployment web --replicas=2' },
      { at: '70m', run: 'kubectl get ev -A' },
      { at: '70m', run: 'kubectl get ev --field-selector involvedObject.kind=Deployment -o yaml' },
      { at: '70m', run: 'kubectl get ev --field-selector reason=FailedScheduling -o json' },
    ],
  });
  // events.csv keeps one row per occurrence: 30.055, 360.01, ... 3660.01.
  const failed = obs.events.filter((e) => e.reason === 'FailedScheduling');
  assert.equal(failed.length, 12);
  const [wide, atTen, atSeventy, yaml, json] = obs.snapshots;
  // 600 - 360.01 = 239.99 -> 3m59s; 600 - 30.055 -> 9m29s; count 2.
  const name = wide!.text.split('\n')[1]!.trim().split(/\s+/).pop()!;
  assert.match(name, /^web-[a-z0-9]+-[a-z0-9]{5}\.[0-9a-f]{16}$/);
  const podName = name.split('.')[0]!;
  const cols = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'];
  const row = ['3m59s', 'Warning', 'FailedScheduling', `pod/${podName}`, '', 'default-scheduler', FAILED, '9m29s', '2', name];
  const widths = cols.map((c, i) => Math.max(c.length, row[i]!.length) + 3);
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('');
  assert.equal(wide!.text, `${line(cols)}\n${line(row)}`);
  // At 10m every event of the run is there: the scale-up's, and the pods'.
  assert.match(atTen!.text.split('\n')[0]!, /^LAST SEEN {3}TYPE {6}REASON {14}OBJECT +MESSAGE$/);
  assert.ok(atTen!.text.includes('ScalingReplicaSet   deployment/web'));
  assert.ok(atTen!.text.split('\n').length > 10);
  // At 70m (4200s): the events of the first 10 minutes expired (last seen > 1h ago); the
  // FailedScheduling event, renewed at 3660.01, is still there with count 12, then the scale-down's.
  const rs = podName.slice(0, podName.lastIndexOf('-'));
  const expected = [
    ['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    ['default', '8m59s', 'Warning', 'FailedScheduling', `pod/${podName}`, FAILED],
    ['default', '4m59s', 'Normal', 'SuccessfulDelete', `replicaset/${rs}`, `Deleted pod: ${podName}`],
    ['default', '4m59s', 'Normal', 'ScalingReplicaSet', 'deployment/web', `Scaled down replica set ${rs} from 3 to 2`],
  ];
  const w = expected[0]!.map((_, i) => Math.max(...expected.map((r) => r[i]!.length)) + 3);
  assert.equal(atSeventy!.text, expected.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('')).join('\n'));
  const list = parse(yaml!.text) as { kind: string; items: { count: number; firstTimestamp: string; lastTimestamp: string; source: { component: string }; involvedObject: { apiVersion: string } }[] };
  assert.equal(list.kind, 'List');
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0]!.count, 1);
  assert.equal(list.items[0]!.source.component, 'deployment-controller');
  assert.equal(list.items[0]!.involvedObject.apiVersion, 'apps/v1');
  assert.match(list.items[0]!.lastTimestamp, /^1970-01-01T01:05:00/);
  // The aggregated event: 12 occurrences, first at 30.055s, last written at 3660.01s.
  const scheduling = JSON.parse(json!.text) as typeof list;
  assert.deepEqual(
    scheduling.items.map((e) => [e.count, e.firstTimestamp, e.lastTimestamp]),
    [[12, '1970-01-01T00:00:30Z', '1970-01-01T01:01:00Z']],
  );
});
