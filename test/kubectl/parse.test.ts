import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KubectlSyntaxError, parseKubectl, tokenize, type ScaleCommand } from '../../engine/kubectl/index.js';

function rejects(line: string, found: RegExp): void {
  assert.throws(
    () => parseKubectl(line),
    (e: unknown) => e instanceof KubectlSyntaxError && found.test(e.found),
    line,
  );
}

test('tokenize splits like a shell, honouring quotes and escapes', () => {
  assert.deepEqual(tokenize(`kubectl  scale 'a b' "c \\"d\\"" e\\ f`), ['kubectl', 'scale', 'a b', 'c "d"', 'e f']);
  assert.deepEqual(tokenize(`x ''`), ['x', '']);
  assert.throws(() => tokenize(`kubectl 'open`), KubectlSyntaxError);
});

test('scale: every spelling of the resource, name and replicas flag', () => {
  const expected = { verb: 'scale', resource: 'deployment', name: 'web', namespace: 'default', replicas: 5 };
  for (const line of [
    'kubectl scale deployment web --replicas=5',
    'kubectl scale deploy web --replicas 5',
    'kubectl scale deployments web --replicas=5',
    'kubectl scale deployment.apps web --replicas=5',
    'kubectl scale deployment/web --replicas=5',
    'kubectl scale --replicas=5 deployment/web',
    'kubectl scale "deployment" \'web\' --replicas=5',
  ]) {
    assert.deepEqual(parseKubectl(line), expected, line);
  }
  assert.deepEqual(parseKubectl('kubectl scale rs front -n shop --replicas=0'), {
    verb: 'scale',
    resource: 'replicaset',
    name: 'front',
    namespace: 'shop',
    replicas: 0,
  });
  for (const line of [
    'kubectl -n shop scale deploy web --replicas=1',
    'kubectl scale deploy web --replicas=1 --namespace=shop',
    'kubectl scale deploy web --replicas=1 --namespace shop',
    'kubectl scale deploy web --replicas=1 -nshop',
  ]) {
    assert.equal((parseKubectl(line) as ScaleCommand).namespace, 'shop', line);
  }
});

test('delete pod by name or by selector', () => {
  assert.deepEqual(parseKubectl('kubectl delete pod web-abc'), { verb: 'delete', resource: 'pod', namespace: 'default', name: 'web-abc' });
  assert.deepEqual(parseKubectl('kubectl delete po/web-abc -n shop'), { verb: 'delete', resource: 'pod', namespace: 'shop', name: 'web-abc' });
  assert.deepEqual(parseKubectl('kubectl delete pods -l app=web,tier=front'), {
    verb: 'delete',
    resource: 'pod',
    namespace: 'default',
    selector: { app: 'web', tier: 'front' },
  });
  assert.deepEqual(parseKubectl('kubectl delete pod --selector=app==web'), {
    verb: 'delete',
    resource: 'pod',
    namespace: 'default',
    selector: { app: 'web' },
  });
});

test('unsupported commands are refused with what was found', () => {
  rejects('kubectl edit deployment web', /verb "edit"/);
  rejects('kubectl', /no verb/);
  rejects('kubect scale deploy web --replicas=1', /"kubect"/);
  rejects('', /empty command/);
  rejects('kubectl scale daemonset agent --replicas=1', /resource "daemonset"/);
  rejects('kubectl delete configmap web', /resource "configmap"/);
  rejects('kubectl scale deploy web --replicas=1 --record', /flag --record/);
  rejects('kubectl delete pod web --force', /flag --force/);
  rejects('kubectl scale deploy --replicas=1', /nothing/);
  rejects('kubectl scale deploy web', /no --replicas/);
  rejects('kubectl scale deploy web --replicas=-1', /"-1"/);
  rejects('kubectl scale deploy web --replicas=two', /"two"/);
  rejects('kubectl scale deploy web --replicas', /end of command/);
  rejects('kubectl delete pod', /neither/);
  rejects('kubectl delete pod web -l app=web', /both/);
  rejects('kubectl delete pod -l "app in (web)"', /app in/);
  rejects('kubectl delete pod a b', /extra argument "b"/);
});

test('any replica count written in decimal is read back', () => {
  fc.assert(
    fc.property(fc.nat({ max: 1e9 }), fc.constantFrom('deployment', 'deploy', 'rs'), (n, res) => {
      const cmd = parseKubectl(`kubectl scale ${res} web --replicas=${n}`);
      return cmd.verb === 'scale' && cmd.replicas === n;
    }),
  );
});
