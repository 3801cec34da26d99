/**
 * The queueing hints of the default profile's plugins, and the queue's decision with them
 * (queueing-hints.ts): which pods a cluster event moves, by the plugins that rejected them.
 * Expectations are hand-computed from the upstream rules cited in each plugin file; the
 * TaintToleration cases transcribe taint_toleration_test.go TestIsSchedulableAfterNodeChange.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Node, PersistentVolumeClaim, Pod, StorageClass } from '../../engine/api/types.js';
import { EVENTS, type ClusterEvent } from '../../engine/scheduler/cluster-event.js';
import { nodeSnapshot } from '../../engine/scheduler/node-change.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { buildProfile } from '../../engine/scheduler/profile.js';
import { QueueingHintMap } from '../../engine/scheduler/queueing-hints.js';
import { IN_TREE_REGISTRY, withPlugins } from '../../engine/scheduler/registry.js';
import { Snapshot } from '../../engine/scheduler/snapshot.js';
import { unschedulable } from '../../engine/scheduler/types.js';
import { makeNode, makePod } from './helpers.js';

function defaultHints(profile: Parameters<typeof buildProfile>[0] = { schedulerName: 'default-scheduler' }, registry = IN_TREE_REGISTRY): QueueingHintMap {
  const built = buildProfile(profile, registry);
  return new QueueingHintMap([...built.points.preFilter, ...built.points.filter]);
}

const HINTS = defaultHints();
const SNAPSHOT = new Snapshot();

/** Would `event` (old -> new) move `pod`, rejected in its last attempt by `rejectors`? */
function moves(rejectors: string[], pod: Pod, event: ClusterEvent, oldObj: unknown, newObj: unknown, hints = HINTS): boolean {
  return hints.worthRequeuing(new Set(rejectors), new PodInfo(pod), event, oldObj, newObj, SNAPSHOT);
}

const node = (name: string, cpu: string, extra: Parameters<typeof makeNode>[2] = {}): Node => nodeSnapshot(makeNode(name, { cpu, memory: '4Gi' }, extra));

/** A bound (nodeName set) or pending pod, as the cache hands it to the hints. */
function assigned(pod: Pod, nodeName: string | undefined): PodInfo {
  const info = new PodInfo(pod);
  info.nodeName = nodeName;
  return info;
}

test('NodeResourcesFit: a label change moves nothing; a new node or an allocatable increase the pod fits moves it', () => {
  const pod = makePod([{ cpu: '2' }]);
  const fit = ['NodeResourcesFit'];
  assert.equal(moves(fit, pod, EVENTS.NodeLabelChange, node('n1', '1'), node('n1', '1', { labels: { disk: 'ssd' } })), false, 'not registered');
  assert.equal(moves(fit, pod, EVENTS.NodeAdd, undefined, node('n2', '4')), true, 'a new node of 4 CPUs fits 2');
  assert.equal(moves(fit, pod, EVENTS.NodeAdd, undefined, node('n2', '1')), false, 'a new node of 1 CPU does not');
  assert.equal(moves(fit, pod, EVENTS.NodeAllocatableChange, node('n1', '1'), node('n1', '4')), true, '1 -> 4 CPUs');
  assert.equal(moves(fit, pod, EVENTS.NodeAllocatableChange, node('n1', '1'), node('n1', '1500m')), false, '1 -> 1.5 CPUs still too small');
  assert.equal(moves(fit, pod, EVENTS.NodeAllocatableChange, node('n1', '4'), node('n1', '8')), true, 'fits and cpu grew');
  assert.equal(
    moves(fit, pod, EVENTS.NodeAllocatableChange, nodeSnapshot(makeNode('n1', { cpu: '4', memory: '4Gi' })), nodeSnapshot(makeNode('n1', { cpu: '4', memory: '8Gi' }))),
    false,
    'only memory grew, which the pod does not request',
  );
  assert.equal(
    moves(fit, pod, EVENTS.NodeAllocatableChange, nodeSnapshot(makeNode('n1', { cpu: '4', pods: '1' })), nodeSnapshot(makeNode('n1', { cpu: '4', pods: '2' }))),
    true,
    'more pods allowed',
  );
  // Node/Add registered without Node/UpdateNodeTaint: the queue adds it with the always-Queue hint.
  assert.equal(moves(fit, pod, EVENTS.NodeTaintChange, node('n1', '1'), node('n1', '1', { taints: [{ key: 'x', effect: 'NoSchedule' }] })), true);
  assert.equal(moves(fit, pod, EVENTS.NodeConditionChange, node('n1', '1'), node('n1', '1')), false);
});

test('NodeResourcesFit: a bound pod deleted moves the pod, a pending one does not', () => {
  const pod = makePod([{ cpu: '2' }]);
  const other = makePod([{ cpu: '1' }]);
  assert.equal(moves(['NodeResourcesFit'], pod, EVENTS.AssignedPodDelete, assigned(other, 'n1'), undefined), true);
  assert.equal(moves(['NodeResourcesFit'], pod, EVENTS.AssignedPodDelete, assigned(other, undefined), undefined), false);
  assert.equal(moves(['NodeResourcesFit'], pod, EVENTS.AssignedPodAdd, undefined, assigned(other, 'n1')), false, 'not registered');
});

test('TaintToleration (taint_toleration_test.go TestIsSchedulableAfterNodeChange) and a taint removal', () => {
  const pod = makePod([], { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }] });
  const tt = ['TaintToleration'];
  const tainted = (...values: string[]) => node('nodeA', '1', { taints: values.map((value) => ({ key: 'dedicated', value, effect: 'NoSchedule' as const })) });
  assert.equal(moves(tt, pod, EVENTS.NodeAdd, undefined, tainted('user1')), false, 'skip-queue-on-untoleratedtaint-node-added');
  assert.equal(moves(tt, pod, EVENTS.NodeAdd, undefined, tainted('user2')), true, 'queue-on-toleratedtaint-node-added');
  assert.equal(moves(tt, pod, EVENTS.NodeTaintChange, tainted('user1'), tainted('user1', 'user3')), false, 'skip-unrelated-change');
  assert.equal(moves(tt, pod, EVENTS.NodeTaintChange, tainted('user1'), tainted('user2')), true, 'queue-on-taint-change');
  assert.equal(moves(tt, makePod(), EVENTS.NodeTaintChange, tainted('user1'), tainted()), true, 'the taint removed');
  assert.equal(moves(tt, makePod(), EVENTS.NodeLabelChange, tainted('user1'), tainted()), false, 'Node/UpdateNodeLabel is not registered');
  const prefer = node('nodeA', '1', { taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }] });
  assert.equal(moves(tt, makePod(), EVENTS.NodeTaintChange, tainted('user1'), prefer), true, 'PreferNoSchedule does not keep pods off');
});

test('NodeAffinity: queue when the node comes to match the pod (and the profile addedAffinity)', () => {
  const pod = makePod([], { nodeSelector: { disk: 'ssd' } });
  const na = ['NodeAffinity'];
  assert.equal(moves(na, pod, EVENTS.NodeAdd, undefined, node('n1', '1')), false);
  assert.equal(moves(na, pod, EVENTS.NodeAdd, undefined, node('n1', '1', { labels: { disk: 'ssd' } })), true);
  assert.equal(moves(na, pod, EVENTS.NodeLabelChange, node('n1', '1'), node('n1', '1', { labels: { disk: 'ssd' } })), true, 'the label added');
  assert.equal(moves(na, pod, EVENTS.NodeLabelChange, node('n1', '1', { labels: { disk: 'ssd' } }), node('n1', '1', { labels: { disk: 'ssd', x: 'y' } })), false, 'matched before too');
  assert.equal(moves(na, pod, EVENTS.NodeLabelChange, node('n1', '1'), node('n1', '1', { labels: { disk: 'hdd' } })), false);
  const added = defaultHints({
    schedulerName: 'default-scheduler',
    pluginConfig: [
      { name: 'NodeAffinity', args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['a'] }] }] } } } },
    ],
  });
  assert.equal(moves(na, pod, EVENTS.NodeAdd, undefined, node('n1', '1', { labels: { disk: 'ssd' } }), added), false, 'outside the addedAffinity');
  assert.equal(moves(na, pod, EVENTS.NodeAdd, undefined, node('n1', '1', { labels: { disk: 'ssd', pool: 'a' } }), added), true);
});

test('NodeUnschedulable: an uncordon or a schedulable new node moves the pod, a cordoned one does not', () => {
  const nu = ['NodeUnschedulable'];
  const cordoned = node('n1', '1', { unschedulable: true });
  assert.equal(moves(nu, makePod(), EVENTS.NodeSpecUnschedulableChange, cordoned, node('n1', '1')), true);
  assert.equal(moves(nu, makePod(), EVENTS.NodeAdd, undefined, cordoned), false);
  assert.equal(moves(nu, makePod(), EVENTS.NodeAdd, undefined, node('n2', '1')), true);
  assert.equal(moves(nu, makePod(), EVENTS.NodeTaintChange, node('n1', '1'), node('n1', '1', { taints: [{ key: 'x', effect: 'NoSchedule' }] })), false);
});

test('NodePorts: only a bound pod holding a wanted host port frees it', () => {
  const withPort = (port: number, hostIP?: string) => makePod([], { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: port, hostPort: port, ...(hostIP && { hostIP }) }] }] } as Partial<Pod['spec']>);
  const pod = withPort(8080);
  const np = ['NodePorts'];
  assert.equal(moves(np, pod, EVENTS.AssignedPodDelete, assigned(withPort(8080), 'n1'), undefined), true);
  assert.equal(moves(np, pod, EVENTS.AssignedPodDelete, assigned(withPort(9090), 'n1'), undefined), false);
  assert.equal(moves(np, pod, EVENTS.AssignedPodDelete, assigned(withPort(8080), undefined), undefined), false, 'never bound');
  assert.equal(moves(np, pod, EVENTS.AssignedPodDelete, assigned(makePod(), 'n1'), undefined), false, 'no host ports');
  assert.equal(moves(np, withPort(8080, '10.0.0.1'), EVENTS.AssignedPodDelete, assigned(withPort(8080, '10.0.0.2'), 'n1'), undefined), false, 'other host IPs do not conflict');
  assert.equal(moves(np, pod, EVENTS.NodeAdd, undefined, node('n2', '1')), true);
});

const SPREAD = {
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
};

test('PodTopologySpread: bound pods of its namespace its selector selects, and nodes carrying the topology key', () => {
  const pod = makePod([], { labels: { app: 'web' }, ...SPREAD });
  const pts = ['PodTopologySpread'];
  const web = makePod([], { labels: { app: 'web' } });
  const db = makePod([], { labels: { app: 'db' } });
  assert.equal(moves(pts, pod, EVENTS.AssignedPodAdd, undefined, assigned(web, 'n1')), true);
  assert.equal(moves(pts, pod, EVENTS.AssignedPodAdd, undefined, assigned(db, 'n1')), false, 'not selected');
  assert.equal(moves(pts, pod, EVENTS.AssignedPodAdd, undefined, assigned(makePod([], { labels: { app: 'web' }, namespace: 'other' }), 'n1')), false, 'other namespace');
  assert.equal(moves(pts, pod, EVENTS.AssignedPodDelete, assigned(web, 'n1'), undefined), true);
  assert.equal(moves(pts, pod, EVENTS.PodLabelChange, assigned(db, 'n1'), assigned(web, 'n1')), true, 'relabelled into the selector');
  assert.equal(moves(pts, pod, EVENTS.PodLabelChange, assigned(makePod([], { labels: { app: 'x' } }), 'n1'), assigned(db, 'n1')), false, 'neither selected');
  const zoned = (zone?: string, extra: Parameters<typeof makeNode>[2] = {}) => node('n1', '1', { ...extra, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} });
  assert.equal(moves(pts, pod, EVENTS.NodeAdd, undefined, zoned('a')), true);
  assert.equal(moves(pts, pod, EVENTS.NodeAdd, undefined, zoned()), false, 'no zone label');
  assert.equal(moves(pts, pod, EVENTS.NodeDelete, zoned('a'), undefined), true);
  assert.equal(moves(pts, pod, EVENTS.NodeLabelChange, zoned('a'), zoned('b')), true);
  assert.equal(moves(pts, pod, EVENTS.NodeLabelChange, zoned(), zoned('b')), true, 'gained the key');
  assert.equal(moves(pts, pod, EVENTS.NodeLabelChange, zoned('a'), node('n1', '1', { labels: { 'topology.kubernetes.io/zone': 'a', x: 'y' } })), false);
  assert.equal(moves(pts, pod, EVENTS.NodeTaintChange, zoned('a'), zoned('a', { taints: [{ key: 'x', effect: 'NoSchedule' }] })), true);
  assert.equal(moves(pts, pod, EVENTS.NodeTaintChange, zoned(), zoned(undefined, { taints: [{ key: 'x', effect: 'NoSchedule' }] })), false, 'a node outside the topology');
});

const ZONE = 'topology.kubernetes.io/zone';
const affinity = (kind: 'podAffinity' | 'podAntiAffinity') => ({
  affinity: { [kind]: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: ZONE }] } },
});

test('InterPodAffinity: a matching pod bound (affinity) or gone (anti-affinity); nodes bringing or changing the topology key', () => {
  const ipa = ['InterPodAffinity'];
  const wantsDb = makePod([], affinity('podAffinity'));
  const avoidsDb = makePod([], affinity('podAntiAffinity'));
  const db = makePod([], { labels: { app: 'db' } });
  const web = makePod([], { labels: { app: 'web' } });
  assert.equal(moves(ipa, wantsDb, EVENTS.AssignedPodAdd, undefined, assigned(db, 'n1')), true);
  assert.equal(moves(ipa, wantsDb, EVENTS.AssignedPodAdd, undefined, assigned(db, undefined)), false, 'not bound');
  assert.equal(moves(ipa, wantsDb, EVENTS.AssignedPodAdd, undefined, assigned(web, 'n1')), false);
  assert.equal(moves(ipa, wantsDb, EVENTS.AssignedPodDelete, assigned(db, 'n1'), undefined), false, 'no anti-affinity to relieve');
  assert.equal(moves(ipa, avoidsDb, EVENTS.AssignedPodDelete, assigned(db, 'n1'), undefined), true);
  assert.equal(moves(ipa, avoidsDb, EVENTS.PodLabelChange, assigned(db, 'n1'), assigned(web, 'n1')), true, 'relabelled out of the anti-affinity');
  assert.equal(moves(ipa, wantsDb, EVENTS.PodLabelChange, assigned(web, 'n1'), assigned(db, 'n1')), true, 'relabelled into the affinity');
  const zoned = (zone?: string) => node('n1', '1', { labels: zone ? { [ZONE]: zone } : {} });
  assert.equal(moves(ipa, wantsDb, EVENTS.NodeAdd, undefined, zoned('a')), true);
  assert.equal(moves(ipa, wantsDb, EVENTS.NodeAdd, undefined, zoned()), false);
  assert.equal(moves(ipa, wantsDb, EVENTS.NodeLabelChange, zoned(), zoned('a')), true);
  assert.equal(moves(ipa, wantsDb, EVENTS.NodeLabelChange, zoned('a'), zoned()), false, 'losing the key does not help affinity');
  assert.equal(moves(ipa, avoidsDb, EVENTS.NodeAdd, undefined, zoned()), true, 'any new node may take a pod with anti-affinity');
  assert.equal(moves(ipa, avoidsDb, EVENTS.NodeLabelChange, zoned('a'), zoned()), true, 'losing the key helps anti-affinity');
  assert.equal(moves(ipa, avoidsDb, EVENTS.NodeTaintChange, zoned('a'), zoned('a')), false);
});

test('VolumeBinding: claims the pod mounts, classes added or with new topologies, volumes, node labels', () => {
  const pod = makePod([], { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-0' } }] } as Partial<Pod['spec']>);
  const vb = ['VolumeBinding'];
  const claim = (name: string, namespace = 'default') => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace }, spec: {} }) as unknown as PersistentVolumeClaim;
  const sc = (topologies?: unknown) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'x', ...(topologies !== undefined && { allowedTopologies: topologies }) }) as unknown as StorageClass;
  assert.equal(moves(vb, pod, EVENTS.PvcAdd, undefined, claim('data-0')), true);
  assert.equal(moves(vb, pod, EVENTS.PvcUpdate, undefined, claim('data-0')), true);
  assert.equal(moves(vb, pod, EVENTS.PvcAdd, undefined, claim('data-1')), false);
  assert.equal(moves(vb, pod, EVENTS.PvcAdd, undefined, claim('data-0', 'other')), false);
  assert.equal(moves(vb, pod, EVENTS.PvcDelete, claim('data-0'), undefined), false, 'deletions are not registered');
  assert.equal(moves(vb, pod, EVENTS.StorageClassAdd, undefined, sc()), true);
  assert.equal(moves(vb, pod, EVENTS.StorageClassUpdate, sc(), sc()), false);
  assert.equal(moves(vb, pod, EVENTS.StorageClassUpdate, sc(), sc([{ matchLabelExpressions: [{ key: 'zone', values: ['a'] }] }])), true);
  assert.equal(moves(vb, pod, EVENTS.PvAdd, undefined, {}), true);
  assert.equal(moves(vb, pod, EVENTS.NodeLabelChange, node('n1', '1'), node('n1', '1', { labels: { a: 'b' } })), true);
});

test('a pod rejected by several plugins moves when any one of them says Queue; by none, on any event of interest', () => {
  const pod = makePod([{ cpu: '2' }], { nodeSelector: { disk: 'ssd' } });
  const ssdLabel = [node('n1', '1'), node('n1', '1', { labels: { disk: 'ssd' } })] as const;
  assert.equal(moves(['NodeResourcesFit', 'NodeAffinity'], pod, EVENTS.NodeLabelChange, ...ssdLabel), true, 'NodeAffinity queues');
  assert.equal(moves(['NodeResourcesFit'], pod, EVENTS.NodeLabelChange, ...ssdLabel), false);
  assert.equal(moves([], pod, EVENTS.NodeLabelChange, ...ssdLabel), true, 'no rejector (an error): queueAfterBackoff');
  assert.equal(HINTS.interested(EVENTS.NodeConditionChange), false, 'no default plugin registers a condition change');
  assert.equal(HINTS.interested(EVENTS.NodeAnnotationChange), false);
  assert.equal(HINTS.interested(EVENTS.NodeLabelChange), true);
});

test('a user plugin without eventsToRegister is registered for every event (no EnqueueExtensions upstream)', () => {
  const registry = withPlugins(IN_TREE_REGISTRY, { RejectAll: () => ({ name: 'RejectAll', filter: () => unschedulable('no') }) });
  const hints = defaultHints({ schedulerName: 'default-scheduler', plugins: { filter: { enabled: [{ name: 'RejectAll' }], disabled: [] } } }, registry);
  assert.equal(hints.interested(EVENTS.NodeConditionChange), true);
  assert.equal(moves(['RejectAll'], makePod(), EVENTS.NodeAnnotationChange, node('n1', '1'), node('n1', '1')), false, 'with the default profile hints');
  assert.equal(moves(['RejectAll'], makePod(), EVENTS.NodeAnnotationChange, node('n1', '1'), node('n1', '1'), hints), true);
  assert.equal(moves(['RejectAll'], makePod(), EVENTS.PvcDelete, {}, undefined, hints), true);
});

test('registrations: Node/Add without Node/UpdateNodeTaint gains it (kubernetes#109437); plugins that cannot reject register nothing', () => {
  const taintEvents = (plugin: string) => HINTS.registrations(plugin)!.filter((e) => e.event.resource === 'Node' && e.event.actionType === EVENTS.NodeTaintChange.actionType);
  for (const p of ['NodeResourcesFit', 'NodeAffinity', 'NodePorts', 'NodeName', 'VolumeBinding']) assert.equal(taintEvents(p).length, 1, p);
  assert.equal(taintEvents('NodeResourcesFit')[0]!.hint, undefined, 'with the always-Queue hint');
  for (const p of ['TaintToleration', 'NodeUnschedulable', 'PodTopologySpread', 'InterPodAffinity']) assert.equal(taintEvents(p).length, 0, p);
  for (const p of ['VolumeRestrictions', 'NodeVolumeLimits', 'VolumeZone']) assert.deepEqual(HINTS.registrations(p), [], p);
});
