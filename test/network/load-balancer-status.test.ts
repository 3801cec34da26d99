/**
 * status.loadBalancer of LoadBalancer Services, written through the API server by whoever
 * implements them, and EXTERNAL-IP in kubectl get svc (kubernetes/kubernetes
 * pkg/printers/internalversion/printers.go getServiceExternalIP, loadBalancerStatusStringer):
 * MetalLB's controller (metallb controller/service.go: IPAllocated "Assigned IP [...]"), the
 * cloud's service controller (k8s.io/cloud-provider controllers/service/controller.go:
 * EnsuringLoadBalancer, EnsuredLoadBalancer), `<pending>` until then or without either.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { Service } from '../../engine/api/types.js';
import { cloudLoadBalancerAddresses } from '../../engine/network/cloud-load-balancer.js';
import { serviceExternalIP } from '../../engine/kubectl/tables.js';
import { runTestScenario } from '../helpers/scenario.js';
import { metallbManifests } from '../helpers/metallb.js';

const METALLB = metallbManifests('L2');
const LB = ['spec.manifests[1].spec.type=LoadBalancer', 'spec.load[0].target.via=LoadBalancer'];
const GETS = [
  // The Service commits at 10 ms; its implementation sees it 5 ms later and its status write commits 10 ms after that.
  { at: '20ms', run: 'kubectl get svc web' },
  { at: '1s', run: 'kubectl get svc web' },
  { at: '1s', run: 'kubectl get svc web -o yaml' },
];

function externalIP(table: string): string {
  const [header, row] = table.split('\n') as [string, string];
  const start = header.indexOf('EXTERNAL-IP');
  return row.slice(start, header.indexOf('PORT(S)')).trim();
}

test('MetalLB: <pending> until its controller writes the pool address, then EXTERNAL-IP and status show it', () => {
  const { run, obs } = runTestScenario({ duration: '30s', rate: 5, extraManifests: METALLB, timeline: GETS }, [...LB, 'spec.load[0].target.loadBalancer=metallb']);
  const [before, after, yaml] = obs.snapshots.map((s) => s.text);
  assert.equal(externalIP(before!), '<pending>');
  assert.equal(externalIP(after!), '192.168.1.240');
  assert.deepEqual(parse(yaml!).status, { loadBalancer: { ingress: [{ ip: '192.168.1.240', ipMode: 'VIP' }] } });
  const allocated = obs.eventsWith('IPAllocated');
  assert.deepEqual(allocated.map((e) => [e.time, e.name, e.message]), [[0.015, 'web', 'Assigned IP ["192.168.1.240"]']]);
  assert.deepEqual(run.apiServer.get('Service', 'default', 'web')!.status!.loadBalancer!.ingress, [{ ip: '192.168.1.240', ipMode: 'VIP' }]);
});

test('cloud: the service controller ensures the load balancer and writes its address; a type change clears it', () => {
  const { run, obs } = runTestScenario(
    {
      duration: '30s',
      rate: 5,
      timeline: [...GETS, { at: '10s', run: "kubectl patch svc web -p '{spec: {type: NodePort}}'" }, { at: '11s', run: 'kubectl get svc web' }],
    },
    LB,
  );
  const [before, after, , patched] = obs.snapshots.map((s) => s.text);
  assert.equal(externalIP(before!), '<pending>');
  assert.equal(externalIP(after!), '203.0.113.1');
  assert.deepEqual(obs.events.filter((e) => e.reason.endsWith('LoadBalancer')).map((e) => `${e.reason}: ${e.message}`), ['EnsuringLoadBalancer: Ensuring load balancer', 'EnsuredLoadBalancer: Ensured load balancer']);
  assert.ok(obs.events.some((e) => e.reason === 'Kubectl' && e.message.endsWith('service/web patched')));
  assert.equal(externalIP(patched!), '<none>', 'a NodePort Service has no external IP');
  assert.equal(run.apiServer.get('Service', 'default', 'web')!.spec.allocateLoadBalancerNodePorts, undefined, 'dropTypeDependentFields');
  assert.deepEqual(run.apiServer.get('Service', 'default', 'web')!.status, { loadBalancer: {} });
});

test('no implementation (a LoadBalancer Service no load reaches through a cloud LB, no MetalLB pool): <pending> throughout', () => {
  const { run, obs } = runTestScenario({ duration: '30s', rate: 5, timeline: [{ at: '25s', run: 'kubectl get svc web' }] }, ['spec.manifests[1].spec.type=LoadBalancer']);
  assert.equal(externalIP(obs.snapshots[0]!.text), '<pending>');
  assert.deepEqual(run.apiServer.get('Service', 'default', 'web')!.status, { loadBalancer: {} });
});

test('cloud addresses: RFC 5737 documentation blocks, one per Service in first-load order', () => {
  const addresses = cloudLoadBalancerAddresses(['default/a', 'default/b', 'default/a', ...Array.from({ length: 300 }, (_, i) => `x/${i}`)]);
  assert.equal(addresses.get('default/a'), '203.0.113.1');
  assert.equal(addresses.get('default/b'), '203.0.113.2');
  assert.equal(addresses.get('x/251'), '203.0.113.254');
  assert.equal(addresses.get('x/252'), '198.51.100.1');
  assert.equal(addresses.size, 302);
});

test('EXTERNAL-IP cell as getServiceExternalIP prints it: externalIPs, LB addresses sorted and clipped to 16 outside -o wide, the external name', () => {
  const svc = (spec: Partial<Service['spec']>, ingress: { ip?: string; hostname?: string }[] = []): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { ports: [{ port: 80 }], ...spec },
    status: { loadBalancer: { ingress } },
  });
  assert.equal(serviceExternalIP(svc({ type: 'ClusterIP' }), false), '<none>');
  assert.equal(serviceExternalIP(svc({ type: 'NodePort', externalIPs: ['1.2.3.4', '5.6.7.8'] }), false), '1.2.3.4,5.6.7.8');
  assert.equal(serviceExternalIP(svc({ type: 'LoadBalancer' }), false), '<pending>');
  assert.equal(serviceExternalIP(svc({ type: 'LoadBalancer' }, [{ ip: '203.0.113.9' }, { ip: '203.0.113.1' }]), true), '203.0.113.1,203.0.113.9');
  assert.equal(serviceExternalIP(svc({ type: 'LoadBalancer' }, [{ ip: '203.0.113.9' }, { ip: '203.0.113.1' }]), false), '203.0.113.1,2...');
  assert.equal(serviceExternalIP(svc({ type: 'LoadBalancer' }, [{ hostname: 'lb.example.com' }]), false), 'lb.example.com');
  assert.equal(serviceExternalIP(svc({ type: 'LoadBalancer', externalIPs: ['1.2.3.4'] }, [{ ip: '203.0.113.1' }]), false), '203.0.113.1,1.2.3.4');
  assert.equal(serviceExternalIP(svc({ type: 'ExternalName', externalName: 'db.example.com' }), false), 'db.example.com');
});
