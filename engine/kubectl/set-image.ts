/**
 * `kubectl set image deployment/NAME CONTAINER=IMAGE [...]` (`*=IMAGE` for every container):
 * changes the pod template, which starts a rollout.
 */
import { requireName, resourceAndName, resourceOf } from './args.js';
import { notFound, print, printError } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface SetImageCommand {
  verb: 'set';
  what: 'image';
  resource: 'deployment';
  name: string;
  namespace: string;
  images: Record<string, string>;
}

export const set: Verb<SetImageCommand> = {
  verb: 'set',
  flags: [],
  parse({ positional }, namespace) {
    const [sub, ...rest] = positional;
    if (sub !== 'image') throw new KubectlSyntaxError('kubectl set image', sub === undefined ? 'nothing after set' : `"set ${sub}"`);
    const { resource: word, name, rest: pairs } = resourceAndName(rest, 'set image');
    const resource = resourceOf(word, ['deployment'] as const, 'set image');
    if (pairs.length === 0) throw new KubectlSyntaxError('at least one CONTAINER=IMAGE', 'nothing');
    const images: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq <= 0 || eq === pair.length - 1) throw new KubectlSyntaxError('CONTAINER=IMAGE', `"${pair}"`);
      images[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return { verb: 'set', what: 'image', resource, name: requireName(name, 'the name of the deployment'), namespace, images };
  },
  references: (c) => [{ kind: 'Deployment', namespace: c.namespace, name: c.name }],
  run(ctx, c, line) {
    const target = { kind: 'Deployment', namespace: c.namespace, name: c.name };
    const d = ctx.api.get('Deployment', c.namespace, c.name);
    if (!d) return notFound(ctx, target, line);
    const containers = d.spec.template.spec.containers;
    for (const container of Object.keys(c.images)) {
      if (container !== '*' && !containers.some((k) => k.name === container)) {
        return printError(ctx, target, line, `error: unable to find container named "${container}"`);
      }
    }
    ctx.api.update('Deployment', c.namespace, c.name, (obj) => {
      let changed = false;
      for (const k of obj.spec.template.spec.containers) {
        const image = c.images[k.name] ?? c.images['*'];
        if (image !== undefined && k.image !== image) {
          k.image = image;
          changed = true;
        }
      }
      if (!changed) return false;
    });
    print(ctx, target, line, `deployment.apps/${c.name} image updated`);
  },
};
