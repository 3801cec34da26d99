/**
 * A Service update that changes the type, as the API server's registry handles it:
 * dropTypeDependentFields (pkg/registry/core/service/strategy_test.go TestDropTypeDependentFields,
 * its nodePort, healthCheckNodePort, allocateLoadBalancerNodePorts, loadBalancerClass and
 * externalTrafficPolicy cases transcribed; the clusterIP ones are service-alloc.test.ts's),
 * patchAllocatedValues for node ports, the node port allocator, and the validation of what the
 * update kept (validation.go, upstream's messages).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { kubectlRefusalText } from '../../engine/api/service-alloc.js';
import { dropTypeDependentFields } from '../../engine/api/service-defaults.js';
import { allocateNodePorts, patchAllocatedNodePorts } from '../../engine/api/service-node-ports.js';
import { prepareServiceUpdate } from '../../engine/api/service-update.js';
import { serviceTypeFieldErrors, validateServiceTypeFields } from '../../engine/api/service-validation.js';
import type { Service } from '../../engine/api/types.js';

type Tweak = (svc: Service) => void;

/** makeValidService: a ClusterIP Service with ports p (8675) and q (309). */
function makeValidService(...tweaks: Tweak[]): Service {
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'valid', namespace: 'default' },
    spec: { selector: { key: 'val' }, sessionAffinity: 'None', type: 'ClusterIP', ports: [{ name: 'p', protocol: 'TCP', port: 8675, targetPort: 8675 }, { name: 'q', protocol: 'TCP', port: 309, targetPort: 309 }], internalTrafficPolicy: 'Cluster' },
  };
  for (const t of tweaks) t(svc);
  return svc;
}

const setTypeNodePort: Tweak = (s) => (s.spec.type = 'NodePort');
const setTypeClusterIP: Tweak = (s) => (s.spec.type = 'ClusterIP');
const setTypeLoadBalancer: Tweak = (s) => (s.spec.type = 'LoadBalancer');
const setNodePorts: Tweak = (s) => s.spec.ports.forEach((p, i) => (p.nodePort = 30000 + i));
const changeNodePorts: Tweak = (s) => s.spec.ports.forEach((p) => (p.nodePort = (p.nodePort ?? 0) + 100));
const setExternalIPs: Tweak = (s) => (s.spec.externalIPs = ['1.1.1.1']);
const clearExternalIPs: Tweak = (s) => delete s.spec.externalIPs;
const setExternalTrafficPolicyCluster: Tweak = (s) => (s.spec.externalTrafficPolicy = 'Cluster');
const clearExternalTrafficPolicy: Tweak = (s) => delete s.spec.externalTrafficPolicy;
const addPort: Tweak = (s) => s.spec.ports.push({ name: 'new', protocol: 'TCP', port: 1234, targetPort: 1234 });
const delPort: Tweak = (s) => s.spec.ports.pop();
const changePort: Tweak = (s) => {
  s.spec.ports[0]!.port += 100;
  s.spec.ports[0]!.protocol = 'UDP';
};
const setHCNodePort: Tweak = (s) => {
  s.spec.externalTrafficPolicy = 'Local';
  s.spec.healthCheckNodePort = 32000;
};
const changeHCNodePort: Tweak = (s) => (s.spec.healthCheckNodePort = s.spec.healthCheckNodePort! + 100);
const setAllocateTrue: Tweak = (s) => (s.spec.allocateLoadBalancerNodePorts = true);
const setAllocateFalse: Tweak = (s) => (s.spec.allocateLoadBalancerNodePorts = false);
const clearAllocate: Tweak = (s) => delete s.spec.allocateLoadBalancerNodePorts;
const setClass: Tweak = (s) => (s.spec.loadBalancerClass = 'test-load-balancer-class');
const clearClass: Tweak = (s) => delete s.spec.loadBalancerClass;
const changeClass: Tweak = (s) => (s.spec.loadBalancerClass = 'test-load-balancer-class-changed');

test('TestDropTypeDependentFields: node ports, health check node port, allocateLoadBalancerNodePorts, loadBalancerClass, externalTrafficPolicy', () => {
  const cases: { name: string; svc: Tweak[]; patch: Tweak[]; expect: Tweak[] }[] = [
    { name: "don't clear nodePorts for type=NodePort", svc: [setTypeNodePort, setNodePorts], patch: [], expect: [setTypeNodePort, setNodePorts] },
    { name: "don't clear nodePorts for type=LoadBalancer", svc: [setTypeLoadBalancer, setNodePorts], patch: [], expect: [setTypeLoadBalancer, setNodePorts] },
    { name: 'clear nodePorts', svc: [setTypeLoadBalancer, setNodePorts], patch: [setTypeClusterIP], expect: [] },
    { name: "don't clear changed nodePorts", svc: [setTypeLoadBalancer, setNodePorts], patch: [setTypeClusterIP, changeNodePorts], expect: [setNodePorts, changeNodePorts] },
    { name: 'clear nodePorts when adding a port', svc: [setTypeLoadBalancer, setNodePorts], patch: [setTypeClusterIP, addPort], expect: [addPort] },
    { name: "don't clear nodePorts when adding a port with NodePort", svc: [setTypeLoadBalancer, setNodePorts], patch: [setTypeClusterIP, addPort, setNodePorts], expect: [addPort, setNodePorts] },
    { name: 'clear nodePorts when removing a port', svc: [setTypeLoadBalancer, setNodePorts], patch: [setTypeClusterIP, delPort], expect: [delPort] },
    { name: 'clear nodePorts when changing a port', svc: [setTypeLoadBalancer, setNodePorts], patch: [setTypeClusterIP, changePort], expect: [changePort] },
    { name: "don't clear healthCheckNodePort for type=LoadBalancer", svc: [setTypeLoadBalancer, setHCNodePort], patch: [], expect: [setTypeLoadBalancer, setHCNodePort] },
    { name: 'clear healthCheckNodePort', svc: [setTypeLoadBalancer, setHCNodePort], patch: [setTypeClusterIP], expect: [] },
    { name: "don't clear changed healthCheckNodePort", svc: [setTypeLoadBalancer, setHCNodePort], patch: [setTypeClusterIP, changeHCNodePort], expect: [setHCNodePort, changeHCNodePort, clearExternalTrafficPolicy] },
    { name: 'clear allocatedLoadBalancerNodePorts true -> true', svc: [setTypeLoadBalancer, setAllocateTrue], patch: [setTypeNodePort], expect: [setTypeNodePort] },
    { name: 'clear allocatedLoadBalancerNodePorts false -> false', svc: [setTypeLoadBalancer, setAllocateFalse], patch: [setTypeNodePort], expect: [setTypeNodePort] },
    { name: 'set allocatedLoadBalancerNodePorts nil -> true', svc: [setTypeLoadBalancer], patch: [setTypeNodePort, setAllocateTrue], expect: [setTypeNodePort, setAllocateTrue] },
    { name: 'set allocatedLoadBalancerNodePorts nil -> false', svc: [setTypeLoadBalancer], patch: [setTypeNodePort, setAllocateFalse], expect: [setTypeNodePort, setAllocateFalse] },
    { name: 'set allocatedLoadBalancerNodePorts true -> nil', svc: [setTypeLoadBalancer, setAllocateTrue], patch: [setTypeNodePort, clearAllocate], expect: [setTypeNodePort] },
    { name: 'set allocatedLoadBalancerNodePorts false -> nil', svc: [setTypeLoadBalancer, setAllocateFalse], patch: [setTypeNodePort, clearAllocate], expect: [setTypeNodePort] },
    { name: 'set allocatedLoadBalancerNodePorts true -> false', svc: [setTypeLoadBalancer, setAllocateTrue], patch: [setTypeNodePort, setAllocateFalse], expect: [setTypeNodePort, setAllocateFalse] },
    { name: 'set allocatedLoadBalancerNodePorts false -> true', svc: [setTypeLoadBalancer, setAllocateFalse], patch: [setTypeNodePort, setAllocateTrue], expect: [setTypeNodePort, setAllocateTrue] },
    { name: 'clear loadBalancerClass when set Service type LoadBalancer -> non LoadBalancer', svc: [setTypeLoadBalancer, setClass], patch: [setTypeClusterIP], expect: [setTypeClusterIP, clearClass] },
    { name: 'update loadBalancerClass load balancer class name', svc: [setTypeLoadBalancer, setClass], patch: [changeClass], expect: [setTypeLoadBalancer, changeClass] },
    { name: 'clear load balancer class name', svc: [setTypeLoadBalancer, setClass], patch: [clearClass], expect: [setTypeLoadBalancer, clearClass] },
    { name: 'change service type and load balancer class', svc: [setTypeLoadBalancer, setClass], patch: [setTypeClusterIP, changeClass], expect: [setTypeClusterIP, changeClass] },
    { name: 'change service type to load balancer and set load balancer class', svc: [setTypeClusterIP], patch: [setTypeLoadBalancer, setClass], expect: [setTypeLoadBalancer, setClass] },
    { name: "don't clear load balancer class for Type=LoadBalancer", svc: [setTypeLoadBalancer, setClass], patch: [], expect: [setTypeLoadBalancer, setClass] },
    { name: 'clear externalTrafficPolicy when removing externalIPs for Type=ClusterIP', svc: [setTypeClusterIP, setExternalIPs, setExternalTrafficPolicyCluster], patch: [clearExternalIPs], expect: [setTypeClusterIP, clearExternalTrafficPolicy] },
  ];
  for (const c of cases) {
    const old = makeValidService(...c.svc);
    const result = makeValidService(...c.svc, ...c.patch);
    dropTypeDependentFields(old, result);
    const expect = makeValidService(...c.expect);
    const fields = (s: Service) => ({
      nodePorts: s.spec.ports.map((p) => p.nodePort ?? 0),
      healthCheckNodePort: s.spec.healthCheckNodePort ?? 0,
      allocateLoadBalancerNodePorts: s.spec.allocateLoadBalancerNodePorts,
      loadBalancerClass: s.spec.loadBalancerClass,
      externalTrafficPolicy: s.spec.externalTrafficPolicy,
    });
    assert.deepEqual(fields(result), fields(expect), c.name);
  }
});

test('the load-balancer status goes with the LoadBalancer type', () => {
  const lb = makeValidService(setTypeLoadBalancer, setNodePorts);
  lb.status = { loadBalancer: { ingress: [{ ip: '192.168.1.240', ipMode: 'VIP' }] } };
  const clusterIP = structuredClone(lb);
  clusterIP.spec.type = 'ClusterIP';
  dropTypeDependentFields(lb, clusterIP);
  assert.deepEqual(clusterIP.status, { loadBalancer: {} });
  const stillLB = structuredClone(lb);
  dropTypeDependentFields(lb, stillLB);
  assert.deepEqual(stillLB.status, lb.status);
});

test('patchAllocatedValues: an update without node ports keeps them by port name, unless another port kept that one', () => {
  const before = makeValidService(setTypeNodePort, setNodePorts); // p: 30000, q: 30001
  const after = makeValidService(setTypeLoadBalancer);
  after.spec.ports[1]!.nodePort = 30000; // q takes p's port; p left without one
  patchAllocatedNodePorts(after, before);
  assert.deepEqual(after.spec.ports.map((p) => p.nodePort), [undefined, 30000], "p's old port is q's now: p gets none (the allocator gives it one)");
  const plain = makeValidService(setTypeLoadBalancer);
  patchAllocatedNodePorts(plain, before);
  assert.deepEqual(plain.spec.ports.map((p) => p.nodePort), [30000, 30001]);
  // Not when the new type has no node ports, and the health check node port only between two LoadBalancer + Local.
  const toClusterIP = makeValidService();
  patchAllocatedNodePorts(toClusterIP, before);
  assert.deepEqual(toClusterIP.spec.ports.map((p) => p.nodePort), [undefined, undefined]);
  const local = makeValidService(setTypeLoadBalancer, setNodePorts, setHCNodePort);
  const stillLocal = makeValidService(setTypeLoadBalancer, setNodePorts, (s) => (s.spec.externalTrafficPolicy = 'Local'));
  patchAllocatedNodePorts(stillLocal, local);
  assert.equal(stillLocal.spec.healthCheckNodePort, 32000);
});

test('the allocator: the lowest port no stored Service holds (node ports and health check node ports), none for a LoadBalancer without allocateLoadBalancerNodePorts', () => {
  const holder = makeValidService(setTypeLoadBalancer, setNodePorts, setHCNodePort); // 30000, 30001, HC 32000
  holder.spec.healthCheckNodePort = 30002;
  const svc = makeValidService(setTypeNodePort);
  assert.equal(allocateNodePorts([holder], [30000, 32767], svc), true);
  assert.deepEqual(svc.spec.ports.map((p) => p.nodePort), [30003, 30004]);
  const local = makeValidService(setTypeLoadBalancer, (s) => (s.spec.externalTrafficPolicy = 'Local'));
  local.spec.ports[0]!.nodePort = 30005; // explicit: kept, and not handed out again
  assert.equal(allocateNodePorts([holder, svc], [30000, 32767], local), true);
  assert.deepEqual([local.spec.ports.map((p) => p.nodePort), local.spec.healthCheckNodePort], [[30005, 30006], 30007]);
  const noPorts = makeValidService(setTypeLoadBalancer, setAllocateFalse);
  assert.equal(allocateNodePorts([], [30000, 32767], noPorts), true);
  assert.deepEqual(noPorts.spec.ports.map((p) => p.nodePort), [undefined, undefined]);
  assert.equal(allocateNodePorts([holder], [30000, 30002], makeValidService(setTypeNodePort)), false, 'range full');
  // Dropped by a type change, a port is free again.
  const dropped = makeValidService(setTypeNodePort, setNodePorts);
  const asClusterIP = makeValidService();
  assert.equal(prepareServiceUpdate(dropped, asClusterIP), undefined);
  const next = makeValidService(setTypeNodePort);
  allocateNodePorts([asClusterIP], [30000, 32767], next);
  assert.deepEqual(next.spec.ports.map((p) => p.nodePort), [30000, 30001]);
});

test('validation of what the update kept: upstream\'s field errors and kubectl\'s text for one and several', () => {
  const before = makeValidService(setTypeNodePort, setNodePorts);
  // Type ClusterIP with the node ports unchanged: dropped, accepted.
  const same = makeValidService(setNodePorts);
  assert.equal(prepareServiceUpdate(before, same), undefined);
  assert.deepEqual(same.spec.ports.map((p) => p.nodePort), [undefined, undefined]);
  assert.equal(same.spec.externalTrafficPolicy, undefined);
  // One new node port: kept, and refused.
  const one = makeValidService((s) => (s.spec.ports = [{ name: 'p', protocol: 'TCP', port: 8675, targetPort: 8675, nodePort: 30500 }]));
  const refusedOne = prepareServiceUpdate(before, one)!;
  assert.deepEqual(refusedOne, {
    reason: 'Invalid',
    message: "Service \"valid\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    causes: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  });
  assert.equal(kubectlRefusalText(refusedOne), "The Service \"valid\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
  // Two: the Status message aggregates them; kubectl prints one per line (MultilineError).
  const two = makeValidService(setNodePorts, changeNodePorts);
  const refusedTwo = prepareServiceUpdate(before, two)!;
  assert.equal(refusedTwo.message, "Service \"valid\" is invalid: [spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP', spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP']");
  assert.equal(kubectlRefusalText(refusedTwo), "The Service \"valid\" is invalid: \n* spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n* spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
  // The other type-dependent fields, set in the same update as a type without use for them.
  const lbLocal = makeValidService(setTypeLoadBalancer, setNodePorts, setHCNodePort, setAllocateTrue, setClass);
  const toNodePort = makeValidService(setTypeNodePort, setNodePorts, setHCNodePort, changeHCNodePort, setAllocateFalse, changeClass);
  // Each was changed by the update, so none is dropped; all three are refused.
  assert.ok(prepareServiceUpdate(lbLocal, toNodePort));
  assert.deepEqual(serviceTypeFieldErrors(toNodePort, lbLocal), [
    "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    "spec.healthCheckNodePort: Invalid value: 32100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
  ]);
  const clusterIPWithPolicy = makeValidService((s) => (s.spec.externalTrafficPolicy = 'Local'));
  assert.deepEqual(serviceTypeFieldErrors(clusterIPWithPolicy, makeValidService(setTypeNodePort)), ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']);
  // LoadBalancer to LoadBalancer: the class and the health check node port may not change.
  const otherClass = makeValidService(setTypeLoadBalancer, setNodePorts, setHCNodePort, changeHCNodePort, setAllocateTrue, changeClass);
  assert.deepEqual(serviceTypeFieldErrors(otherClass, lbLocal), [
    'spec.loadBalancerClass: Invalid value: "test-load-balancer-class-changed": may not change once set',
    'spec.healthCheckNodePort: Forbidden: field is immutable',
  ]);
  assert.equal(validateServiceTypeFields(makeValidService(setTypeNodePort, setNodePorts)), undefined, 'a valid create');
});
