/** `kubesim crash pod` and `kubesim hang pod`: parsing, and errors for pods that are not there. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseFault } from '../../engine/faults/command.js';
import { KubectlSyntaxError } from '../../engine/kubectl/syntax-error.js';
import { runTestScenario as run } from '../helpers/scenario.js';

test('crash and hang pod parse, with -n and -c as kubectl spells them', () => {
  assert.deepEqual(parseFault('kubesim crash pod web-1'), { verb: 'crash', target: 'pod', name: 'web-1', namespace: 'default' });
  assert.deepEqual(parseFault('kubesim crash pod web-1 -n shop -c app'), { verb: 'crash', target: 'pod', name: 'web-1', namespace: 'shop', container: 'app' });
  assert.deepEqual(parseFault('kubesim crash pod --namespace=shop web-1 --container=app'), { verb: 'crash', target: 'pod', name: 'web-1', namespace: 'shop', container: 'app' });
  assert.deepEqual(parseFault('kubesim hang pod web-1'), { verb: 'hang', target: 'pod', name: 'web-1', namespace: 'default' });
  for (const [bad, found] of [
    ['kubesim crash pod', /nothing/],
    ['kubesim crash pod a b', /extra argument "b"/],
    ['kubesim crash pod a -c', /nothing/],
    ['kubesim hang pod a -c app', /flag -c/],
    ['kubesim crash pod a --force', /flag --force/],
    ['kubesim crash node w1', /kubesim crash node/],
  ] as const) {
    assert.throws(() => parseFault(bad), (e: unknown) => e instanceof KubectlSyntaxError && found.test(e.found), bad);
  }
});

test('crashing a pod that does not exist or a container it does not have is reported, not fatal', () => {
  const { obs } = run({
    duration: '40s',
    extraManifests: `    - apiVersion: v1
      kind: Pod
      metadata: { name: solo, labels: { app: web } }
      spec: { containers: [{ name: app, image: "nginx:1.27" }] }
`,
    timeline: [
      { at: '20s', run: 'kubesim crash pod nobody' },
      { at: '21s', run: 'kubesim crash pod solo -c sidecar' },
      { at: '22s', run: 'kubesim crash pod solo -c app' },
    ],
  });
  assert.deepEqual(
    obs.eventsWith('KubesimError').map((e) => e.message),
    ['kubesim crash pod nobody: pod "nobody" not found in namespace default', 'kubesim crash pod solo -c sidecar: pod "solo" container sidecar is not running'],
  );
  assert.equal(obs.events.filter((e) => e.reason === 'Kubesim' && e.name === 'solo').length, 1);
});
