/**
 * The invariant ClaimPods keeps (pkg/controller/controller_ref_manager.go), as a fast-check
 * property over random ReplicaSets, bare pods and relabellings in a running cluster: once
 * quiet, every active pod that exactly one ReplicaSet selects is controlled by it, no
 * ReplicaSet controls a pod its selector does not match, and each ReplicaSet controls exactly
 * spec.replicas active pods.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matchesSelector } from '../../engine/api/labels.js';
import { isPodActive } from '../../engine/api/pod-lifecycle.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

// Three ReplicaSets; a pod labelled app=a and tier=x is selected by both ra and rx.
const SETS = [
  { name: 'ra', selector: { app: 'a' }, template: { app: 'a' } },
  { name: 'rb', selector: { app: 'b' }, template: { app: 'b' } },
  { name: 'rx', selector: { tier: 'x' }, template: { tier: 'x', app: 'c' } },
] as const;
const APP = ['a', 'b', 'none'] as const;
const TIER = ['x', 'none'] as const;
const CONTAINER = `containers: [{ name: c, image: "nginx:1.27" }]`;

const flow = (labels: Record<string, string>) => `{ ${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')} }`;

function yaml(replicas: number[], pods: [number, number][], relabels: { at: number; pod: number; app: number; tier: number }[]): string {
  const sets = SETS.map(
    (s, i) => `    - apiVersion: apps/v1
      kind: ReplicaSet
      metadata: { name: ${s.name} }
      spec: { replicas: ${replicas[i]}, selector: { matchLabels: ${flow(s.selector)} }, template: { metadata: { labels: ${flow(s.template)} }, spec: { ${CONTAINER} } } }
`,
  ).join('');
  const bare = pods.map(([app, tier], i) => `    - { apiVersion: v1, kind: Pod, metadata: { name: p${i}, labels: { app: ${APP[app]}, tier: ${TIER[tier]} } }, spec: { ${CONTAINER} } }\n`).join('');
  const timeline = relabels.map((r) => `    - { at: ${r.at}s, run: "kubectl label pod p${r.pod} app=${APP[r.app]} tier=${TIER[r.tier]} --overwrite" }`).join('\n');
  return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: claims }
spec:
  duration: 150s
  cluster:
    podCIDR: 10.244.0.0/16
    nodes:
      - { pool: w, count: 2, namePattern: "w{i}", ipStart: 10.0.0.11 }
  manifests:
${bare}${sets}  timeline:${timeline ? `\n${timeline}` : ' []'}
`;
}

test('property: once quiet, pods selected by exactly one ReplicaSet are its own, owned pods match, and each ReplicaSet owns spec.replicas active pods', () => {
  const relabel = fc.record({ at: fc.integer({ min: 1, max: 60 }), pod: fc.integer({ min: 0, max: 2 }), app: fc.integer({ min: 0, max: 2 }), tier: fc.integer({ min: 0, max: 1 }) });
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 })), { minLength: 3, maxLength: 3 }),
      fc.array(relabel, { maxLength: 6 }),
      (replicas, pods, relabels) => {
        relabels.sort((x, y) => x.at - y.at);
        const run = new ScenarioRun(loadScenarioText(yaml(replicas, pods, relabels), 'claims.yaml').scenario, new MemoryObserver());
        run.finish();
        const api = run.apiServer;
        const sets = api.list('ReplicaSet');
        const active = api.list('Pod').filter(isPodActive);
        for (const pod of active) {
          const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
          const selecting = sets.filter((rs) => matchesSelector(rs.spec.selector, pod.metadata.labels));
          if (selecting.length === 1) assert.equal(owner?.uid, selecting[0]!.metadata.uid, `${pod.metadata.name} is ${selecting[0]!.metadata.name}'s`);
          if (owner) {
            const rs = sets.find((s) => s.metadata.uid === owner.uid)!;
            assert.ok(matchesSelector(rs.spec.selector, pod.metadata.labels), `${rs.metadata.name} owns ${pod.metadata.name}, which it does not select`);
          }
        }
        for (const rs of sets) {
          const owned = active.filter((p) => p.metadata.ownerReferences?.some((r) => r.controller && r.uid === rs.metadata.uid));
          assert.equal(owned.length, rs.spec.replicas, `${rs.metadata.name} owns ${owned.length}`);
          assert.equal(rs.status?.replicas, rs.spec.replicas);
        }
      },
    ),
    { numRuns: 60 },
  );
});
