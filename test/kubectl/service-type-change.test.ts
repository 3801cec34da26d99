/**
 * `kubectl patch svc` changing a Service's type, as the API server's registry handles it
 * (pkg/registry/core/service/strategy.go dropTypeDependentFields, storage/alloc.go
 * txnUpdateNodePorts, validation.go): node ports, health check node port, traffic policy and
 * load-balancer fields dropped with a type that has no use for them, and free for the next
 * Service; node ports allocated for a type that needs them; a node port the patch sets on a
 * ClusterIP Service refused with the API server's message, at load time when the manifests show
 * it, else when it runs.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioError } from '../../engine/scenario/errors.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { metallbManifests, loadBalancerService } from '../helpers/metallb.js';
import { ScenarioRun } from '../../engine/run.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { runTestScenario, testScenarioYaml } from '../helpers/scenario.js';

/** What kubectl printed, after each command line (a patch's ends with its `}}'`). */
function kubectlOutput(obs: MemoryObserver): string[] {
  return obs.events
    .filter((e) => e.reason.startsWith('Kubectl'))
    .map((e) => (e.message.startsWith('kubectl patch') ? e.message.slice(e.message.indexOf("}}': ") + 5) : e.message.slice(e.message.indexOf(': ') + 2)));
}

/** A second NodePort Service in front of the `web` pods (the load keeps using `web`). */
const FRONT = `    - apiVersion: v1
      kind: Service
      metadata: { name: front }
      spec: { type: NodePort, externalTrafficPolicy: Local, selector: { app: web }, ports: [{ port: 80 }] }
`;
const BACK = `    - apiVersion: v1
      kind: Service
      metadata: { name: back }
      spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;

const FORBIDDEN = "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'";

test('NodePort -> ClusterIP: the node port and externalTrafficPolicy go, and the port is free for the next Service', () => {
  const timeline = [
    { at: '20s', run: "kubectl patch svc front -p '{spec: {type: ClusterIP}}'" },
    { at: '25s', run: 'kubectl expose deployment web --name=next --type=NodePort --port=8080' },
  ];
  const { obs, run } = runTestScenario({ duration: '40s', rate: 1, extraManifests: FRONT, timeline });
  assert.deepEqual(kubectlOutput(obs), ['service/front patched', 'service/next exposed']);
  const api = run.apiServer;
  assert.equal(api.get('Service', 'default', 'web')!.spec.ports[0]!.nodePort, 30000, 'web took the first port at load');
  const front = api.get('Service', 'default', 'front')!;
  assert.equal(front.spec.type, 'ClusterIP');
  assert.deepEqual(front.spec.ports, [{ port: 80, targetPort: 80, protocol: 'TCP' }]);
  assert.equal(front.spec.externalTrafficPolicy, undefined);
  assert.equal(api.get('Service', 'default', 'next')!.spec.ports[0]!.nodePort, 30001, "front's old port, released by the type change");
});

test('LoadBalancer -> ClusterIP: node ports, health check node port, allocateLoadBalancerNodePorts and the load-balancer status go', () => {
  const extra = metallbManifests('L2') + loadBalancerService('lb', {}, 'externalTrafficPolicy: Local');
  const timeline = [
    { at: '20s', run: "kubectl patch svc lb -p '{spec: {type: ClusterIP}}'" },
    { at: '25s', run: 'kubectl expose deployment web --name=next --type=NodePort --port=8080' },
  ];
  const { obs, run } = runTestScenario({ duration: '40s', rate: 1, extraManifests: extra, timeline, loadStart: '30s' });
  const api = run.apiServer;
  assert.deepEqual(kubectlOutput(obs), ['service/lb patched', 'service/next exposed']);
  const lb = api.get('Service', 'default', 'lb')!;
  assert.equal(lb.spec.type, 'ClusterIP');
  assert.equal(lb.spec.ports[0]!.nodePort, undefined);
  assert.equal(lb.spec.healthCheckNodePort, undefined);
  assert.equal(lb.spec.externalTrafficPolicy, undefined);
  assert.equal(lb.spec.allocateLoadBalancerNodePorts, undefined);
  assert.deepEqual(lb.status, { loadBalancer: {} }, 'no address any more, and MetalLB gives none to a ClusterIP Service');
  // It had an address before: MetalLB's IPAllocated, then the release when the type changed.
  assert.ok(obs.events.some((e) => e.name === 'lb' && e.reason === 'IPAllocated'));
  // lb held 30001 and its health check 30002 (web 30000): the lowest free one is 30001 again.
  assert.equal(api.get('Service', 'default', 'next')!.spec.ports[0]!.nodePort, 30001);
});

test('ClusterIP -> NodePort: the Service gets a free node port and the default externalTrafficPolicy', () => {
  const timeline = [{ at: '20s', run: "kubectl patch svc back -p '{spec: {type: NodePort}}'" }];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, extraManifests: BACK, timeline });
  assert.deepEqual(kubectlOutput(obs), ['service/back patched']);
  const back = run.apiServer.get('Service', 'default', 'back')!;
  assert.equal(back.spec.type, 'NodePort');
  assert.equal(back.spec.ports[0]!.nodePort, 30001, 'web holds 30000');
  assert.equal(back.spec.externalTrafficPolicy, 'Cluster');
});

test('type ClusterIP with a node port the Service did not have: refused with the API server\'s message, at run time', () => {
  // The manifests show front with 30001 (the loader's allocation), so the second patch looks
  // fine at load time; when it runs, front has 30007, so 30001 is new, kept, and refused.
  const timeline = [
    { at: '20s', run: "kubectl patch svc front -p '{spec: {ports: [{port: 80, nodePort: 30007}]}}'" },
    { at: '21s', run: "kubectl patch svc front -p '{spec: {type: ClusterIP, ports: [{port: 80, nodePort: 30001}]}}'" },
  ];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, extraManifests: FRONT, timeline });
  assert.deepEqual(kubectlOutput(obs), ['service/front patched', `The Service "front" is invalid: ${FORBIDDEN}`]);
  assert.equal(obs.eventsWith('KubectlError').length, 1);
  const front = run.apiServer.get('Service', 'default', 'front')!;
  assert.equal(front.spec.type, 'NodePort', 'nothing changed');
  assert.equal(front.spec.ports[0]!.nodePort, 30007);
});

test('type ClusterIP with a new node port, against the manifests: a load-time error with the API server\'s message; the same port is accepted', () => {
  const bad = testScenarioYaml({ extraManifests: FRONT, timeline: [{ at: '20s', run: "kubectl patch svc front -p '{spec: {type: ClusterIP, ports: [{port: 80, nodePort: 30500}]}}'" }] });
  assert.throws(
    () => loadScenarioText(bad, 'test.yaml'),
    (e: unknown) => e instanceof ScenarioError && e.message.includes('spec.timeline[0].run') && e.message.includes(`The Service "front" is invalid: ${FORBIDDEN}`),
  );
  // The node port it already has (30001, from the loader) is no new one: dropped with the type (sameNodePorts).
  const timeline = [{ at: '20s', run: "kubectl patch svc front -p '{spec: {type: ClusterIP, ports: [{port: 80, nodePort: 30001}]}}'" }];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, extraManifests: FRONT, timeline });
  assert.deepEqual(kubectlOutput(obs), ['service/front patched']);
  assert.equal(run.apiServer.get('Service', 'default', 'front')!.spec.ports[0]!.nodePort, undefined);
});

test('externalTrafficPolicy Local on a LoadBalancer brings a health check node port; back to Cluster drops it', () => {
  const extra = metallbManifests('L2') + loadBalancerService('lb');
  const timeline = [
    { at: '20s', run: "kubectl patch svc lb -p '{spec: {externalTrafficPolicy: Local}}'" },
    { at: '25s', run: "kubectl patch svc lb -p '{spec: {externalTrafficPolicy: Cluster}}'" },
  ];
  const obs = new MemoryObserver();
  const run = new ScenarioRun(loadScenarioText(testScenarioYaml({ duration: '30s', rate: 1, extraManifests: extra, timeline, loadStart: '28s' }), 'test.yaml').scenario, obs);
  const stored: [number, string | undefined, number | undefined][] = [];
  run.apiServer.watch('Service', (type, svc) => {
    if (type === 'MODIFIED' && svc.metadata.name === 'lb' && run.now >= 20) stored.push([Math.floor(run.now), svc.spec.externalTrafficPolicy, svc.spec.healthCheckNodePort]);
  });
  run.finish();
  assert.deepEqual(kubectlOutput(obs), ['service/lb patched', 'service/lb patched']);
  // web holds 30000 and lb 30001: the health check node port is the next free one.
  assert.deepEqual(stored, [
    [20, 'Local', 30002],
    [25, 'Cluster', undefined],
  ]);
  assert.equal(run.apiServer.get('Service', 'default', 'lb')!.spec.ports[0]!.nodePort, 30001, 'the node port stays through both');
});

test('NodePort -> ExternalName: the cluster IP goes back to the range and the node port to the allocator', () => {
  const timeline = [{ at: '20s', run: "kubectl patch svc front -p '{spec: {type: ExternalName, externalName: db.example.com}}'" }];
  const { obs, run } = runTestScenario({ duration: '30s', rate: 1, extraManifests: FRONT, timeline });
  assert.deepEqual(kubectlOutput(obs), ['service/front patched']);
  const front = run.apiServer.get('Service', 'default', 'front')!;
  assert.deepEqual(
    [front.spec.type, front.spec.clusterIP, front.spec.clusterIPs, front.spec.ipFamilies, front.spec.ipFamilyPolicy, front.spec.ports[0]!.nodePort, front.spec.externalTrafficPolicy],
    ['ExternalName', undefined, undefined, undefined, undefined, undefined, undefined],
  );
});
