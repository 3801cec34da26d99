/**
 * `kubectl annotate deployment NAME KEY=VALUE [--overwrite]` (and `KEY-` to remove): how a
 * change-cause is recorded for `rollout history`. As kubectl, changing an existing annotation
 * needs --overwrite.
 */
import { requireName, resourceAndName, resourceOf } from './args.js';
import { notFound, print, printError } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface AnnotateCommand {
  verb: 'annotate';
  resource: 'deployment';
  name: string;
  namespace: string;
  set: Record<string, string>;
  remove: string[];
  overwrite: boolean;
}

export const annotate: Verb<AnnotateCommand> = {
  verb: 'annotate',
  flags: ['overwrite'],
  parse({ positional, flags }, namespace) {
    const { resource: word, name, rest } = resourceAndName(positional, 'annotate');
    const resource = resourceOf(word, ['deployment'] as const, 'annotate');
    if (rest.length === 0) throw new KubectlSyntaxError('at least one KEY=VALUE or KEY-', 'nothing');
    const set: Record<string, string> = {};
    const remove: string[] = [];
    for (const arg of rest) {
      const eq = arg.indexOf('=');
      if (eq > 0) set[arg.slice(0, eq)] = arg.slice(eq + 1);
      else if (arg.endsWith('-') && arg.length > 1) remove.push(arg.slice(0, -1));
      else throw new KubectlSyntaxError('KEY=VALUE or KEY-', `"${arg}"`);
    }
    const overwrite = (flags.get('overwrite') ?? 'false') === 'true';
    return { verb: 'annotate', resource, name: requireName(name, 'the name of the deployment'), namespace, set, remove, overwrite };
  },
  references: (c) => [{ kind: 'Deployment', namespace: c.namespace, name: c.name }],
  run(ctx, c, line) {
    const target = { kind: 'Deployment', namespace: c.namespace, name: c.name };
    const d = ctx.api.get('Deployment', c.namespace, c.name);
    if (!d) return notFound(ctx, target, line);
    const existing = d.metadata.annotations ?? {};
    if (!c.overwrite) {
      const clash = Object.keys(c.set).find((k) => k in existing && existing[k] !== c.set[k]);
      if (clash !== undefined) {
        return printError(ctx, target, line, `error: --overwrite is false but found the following declared annotation(s): '${clash}' already has a value (${existing[clash]})`);
      }
    }
    ctx.api.update('Deployment', c.namespace, c.name, (obj) => {
      const annotations = { ...(obj.metadata.annotations ?? {}), ...c.set };
      for (const k of c.remove) delete annotations[k];
      obj.metadata.annotations = annotations;
    });
    print(ctx, target, line, `deployment.apps/${c.name} annotated`);
  },
};
