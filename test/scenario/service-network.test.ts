/**
 * spec.cluster.serviceCIDR and the cluster IP fields of Service manifests, checked at load time
 * with the apiserver's rules: kube-apiserver's --service-cluster-ip-range limits
 * (cmd/kube-apiserver/app/options/validation.go validateMaxCIDRRange), core validation
 * (pkg/apis/core/validation ValidateServiceClusterIPsRelatedFields), and the allocator's
 * refusals (pkg/registry/core/service/storage/alloc.go allocIPs, ipallocator ErrNotInRange /
 * ErrAllocated), each a one-line error at the path the user wrote.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ScenarioError } from '../../engine/scenario/errors.js';
import { loadScenarioFile, loadScenarioText } from '../../engine/scenario/loader.js';

function base(): any {
  return {
    apiVersion: 'kubesim.dev/v1alpha1',
    kind: 'Scenario',
    metadata: { name: 't' },
    spec: {
      cluster: { nodes: [{ name: 'n1', ip: '10.0.0.1' }] },
      manifests: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { selector: { app: 'web' }, ports: [{ port: 5432 }] } },
      ],
    },
  };
}

function load(edit: (d: any) => void = () => {}) {
  const d = base();
  edit(d);
  return loadScenarioText(stringify(d), 's.yaml').scenario;
}

function broken(edit: (d: any) => void): ScenarioError {
  try {
    load(edit);
  } catch (e) {
    if (e instanceof ScenarioError) {
      assert.doesNotMatch(e.message, /\n/, 'one line');
      return e;
    }
    throw e;
  }
  assert.fail('expected a ScenarioError');
}

test("serviceCIDR defaults to kubeadm's 10.96.0.0/12; host bits are cleared; /12 to /30 only", () => {
  assert.equal(load().cluster.serviceCIDR, '10.96.0.0/12');
  assert.equal(load((d) => (d.spec.cluster.serviceCIDR = '10.100.5.0/16')).cluster.serviceCIDR, '10.100.0.0/16');
  assert.equal(load((d) => (d.spec.cluster.serviceCIDR = '192.168.7.0/30')).cluster.serviceCIDR, '192.168.7.0/30');
  const wide = broken((d) => (d.spec.cluster.serviceCIDR = '10.0.0.0/8'));
  assert.equal(wide.message, 's.yaml: spec.cluster.serviceCIDR: expected a CIDR block with prefix length from 12 (kube-apiserver: for 32-bit addresses, the mask must be >= 12) to 30, found string "10.0.0.0/8"');
  assert.equal(broken((d) => (d.spec.cluster.serviceCIDR = '10.0.0.0/31')).path, 'spec.cluster.serviceCIDR');
  assert.equal(broken((d) => (d.spec.cluster.serviceCIDR = '10.0.0.0')).path, 'spec.cluster.serviceCIDR');
});

test('an explicit clusterIP outside the service CIDR: the allocator refusal, at spec.clusterIP', () => {
  const e = broken((d) => (d.spec.manifests[1].spec.clusterIP = '10.0.0.5'));
  assert.equal(
    e.message,
    's.yaml: spec.manifests[1].spec.clusterIP: expected an address inside the service CIDR 10.96.0.0/12, spec.cluster.serviceCIDR (the apiserver refuses: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12), found "10.0.0.5"',
  );
  // The network and broadcast addresses are outside the usable range too; with clusterIPs only the path is clusterIPs[0].
  assert.equal(broken((d) => (d.spec.manifests[1].spec.clusterIP = '10.96.0.0')).path, 'spec.manifests[1].spec.clusterIP');
  assert.equal(
    broken((d) => {
      d.spec.cluster.serviceCIDR = '172.20.0.0/16';
      d.spec.manifests[1].spec.clusterIP = '10.96.0.10';
    }).expected.includes('The range of valid IPs is 172.20.0.0/16'),
    true,
  );
});

test('two Services asking for one address: the second is refused as already allocated, naming the first', () => {
  const e = broken((d) => {
    d.spec.manifests[1].spec.clusterIP = '10.96.0.10';
    d.spec.manifests[2].spec.clusterIP = '10.96.0.10';
    d.spec.manifests[2].spec.clusterIPs = ['10.96.0.10'];
  });
  assert.equal(e.path, 'spec.manifests[2].spec.clusterIP');
  assert.equal(e.expected, 'a cluster IP no other Service has (the apiserver refuses: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated)');
  assert.equal(e.found, '"10.96.0.10", already Service default/web\'s');
  // Distinct addresses, headless and ExternalName Services load.
  const ok = load((d) => {
    d.spec.manifests[1].spec.clusterIP = '10.96.0.10';
    d.spec.manifests[2].spec.clusterIP = 'None';
    d.spec.manifests.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 80 }] } });
  });
  assert.equal(ok.manifests.length, 4);
});

test('core validation of the cluster IP fields, each at its path', () => {
  const at = (edit: (spec: any) => void) => broken((d) => edit(d.spec.manifests[1].spec));
  assert.match(at((s) => (s.clusterIPs = ['10.96.0.10'])).message, /spec\.manifests\[1\]\.spec\.clusterIPs: expected clusterIPs only with clusterIP \(the apiserver refuses: must be empty when `clusterIP` is not specified\)/);
  assert.equal(at((s) => Object.assign(s, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.11'] })).path, 'spec.manifests[1].spec.clusterIPs[0]');
  assert.match(at((s) => (s.clusterIP = 'fd00::10')).message, /spec\.clusterIP: expected an IPv4 address \(the apiserver refuses: IPv6 is not configured on this cluster\), found "fd00::10"$/);
  assert.match(at((s) => (s.clusterIP = '10.96.0.300')).message, /spec\.clusterIP: expected an IPv4 address such as 10\.96\.0\.10, or None for a headless Service, found "10\.96\.0\.300"$/);
  assert.match(at((s) => Object.assign(s, { type: 'NodePort', clusterIP: 'None' })).message, /may not be set to 'None' for NodePort services/);
  assert.match(at((s) => Object.assign(s, { type: 'ExternalName', externalName: 'x.example.com', clusterIP: '10.96.0.10' })).message, /spec\.clusterIP: expected no clusterIP on an ExternalName Service/);
  assert.equal(at((s) => Object.assign(s, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00::10'] })).path, 'spec.manifests[1].spec.clusterIPs[1]');
  assert.match(at((s) => (s.ipFamilies = ['IPv6'])).message, /spec\.ipFamilies\[0\]: expected IPv4 \(the apiserver refuses: not configured on this cluster\)/);
  assert.match(at((s) => (s.ipFamilyPolicy = 'RequireDualStack')).message, /this cluster is not configured for dual-stack services/);
});

test('kubectl apply -f files: an explicit clusterIP outside the range is an error at documents[j] of that file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-svcnet-'));
  writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { clusterIP: 192.168.0.9, selector: { app: web }, ports: [{ port: 80 }] }\n');
  const d = base();
  d.spec.timeline = [{ at: '1m', run: 'kubectl apply -f svc.yaml' }];
  writeFileSync(join(dir, 's.yaml'), stringify(d));
  assert.throws(
    () => loadScenarioFile(join(dir, 's.yaml')),
    (e: unknown) => e instanceof ScenarioError && e.file === join(dir, 'svc.yaml') && e.path === 'documents[0].spec.clusterIP' && /not in the valid range/.test(e.expected),
  );
});

test('timeline commands may name the kubernetes Service; an unsupported -o is an error at the timeline entry', () => {
  assert.doesNotThrow(() => load((d) => (d.spec.timeline = [{ at: '1m', run: 'kubectl get svc kubernetes -o yaml' }, { at: '2m', run: 'kubectl delete svc kubernetes' }])));
  const e = broken((d) => (d.spec.timeline = [{ at: '1m', run: 'kubectl get svc -o name' }]));
  assert.equal(e.message, 's.yaml: spec.timeline[0].run: expected -o wide, -o yaml or -o json (other output formats are not supported), found -o name');
});
