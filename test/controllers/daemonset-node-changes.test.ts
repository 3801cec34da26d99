/**
 * The DaemonSet controller following `kubectl label` and `kubectl taint` during a run
 * (pkg/controller/daemon/daemon_controller.go updateNode, NodeShouldRunDaemonPod): a node that
 * gets the template's nodeSelector label gets a daemon pod, one that loses it loses the pod; a
 * NoSchedule taint keeps a running daemon pod (shouldContinueRunning), a NoExecute one the
 * DaemonSet does not tolerate removes it, and removing the taint brings it back.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive } from '../../engine/api/pod-lifecycle.js';
import { runTestScenario } from '../helpers/scenario.js';

const DAEMONSETS = `    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: ssd-agent }
      spec:
        selector: { matchLabels: { app: ssd-agent } }
        template:
          metadata: { labels: { app: ssd-agent } }
          spec:
            nodeSelector: { disk: ssd }
            containers: [{ name: a, image: agent:1, resources: { requests: { cpu: 10m } } }]
    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec:
            containers: [{ name: a, image: agent:1, resources: { requests: { cpu: 10m } } }]
`;

test('daemon pods follow node labels and taints changed by kubectl', () => {
  const timeline = [
    { at: '20s', run: 'kubectl label node w2 disk=ssd' },
    { at: '25s', run: 'kubectl taint nodes w3 maint=x:NoSchedule' },
    { at: '30s', run: 'kubectl taint nodes w3 maint=x:NoExecute' },
    { at: '40s', run: 'kubectl label node w2 disk-' },
    { at: '50s', run: 'kubectl taint nodes w3 maint-' },
  ];
  const { obs, run } = runTestScenario({ duration: '70s', rate: 1, extraManifests: DAEMONSETS, timeline });
  const events = (ds: string, reason: string) => obs.eventsWith(reason).filter((e) => e.kind === 'DaemonSet' && e.name === ds).map((e) => e.time);
  // ssd-agent: none until w2 is labelled, then one, deleted when the label goes.
  const created = events('ssd-agent', 'SuccessfulCreate');
  assert.equal(created.length, 1);
  assert.ok(created[0]! > 20 && created[0]! < 20.1, `created at ${created[0]}`);
  const deleted = events('ssd-agent', 'SuccessfulDelete');
  assert.equal(deleted.length, 1);
  assert.ok(deleted[0]! > 40 && deleted[0]! < 40.1, `deleted at ${deleted[0]}`);
  const ssdPods = run.apiServer.list('Pod').filter((p) => p.metadata.labels?.app === 'ssd-agent');
  assert.deepEqual(ssdPods.filter(isPodActive), []);
  assert.ok(obs.eventsWith('Scheduled').some((e) => e.message.startsWith('Successfully assigned default/ssd-agent-') && e.message.endsWith(' to w2')));
  // agent on w3: kept through NoSchedule, deleted at NoExecute, created again when the taint goes.
  const agentDeletes = events('agent', 'SuccessfulDelete');
  assert.equal(agentDeletes.length, 1);
  assert.ok(agentDeletes[0]! > 30 && agentDeletes[0]! < 30.1, `deleted at ${agentDeletes[0]}`);
  const agentCreates = events('agent', 'SuccessfulCreate');
  assert.equal(agentCreates.length, 4, 'one per worker at the start (cp keeps its NoSchedule taint), one on w3 again');
  assert.ok(agentCreates[3]! > 50 && agentCreates[3]! < 50.1);
  const agents = run.apiServer.list('Pod').filter((p) => p.metadata.labels?.app === 'agent' && isPodActive(p));
  assert.deepEqual(agents.map((p) => p.spec.nodeName).sort(), ['w1', 'w2', 'w3']);
});
