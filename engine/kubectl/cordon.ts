/**
 * `kubectl cordon NODE` / `kubectl uncordon NODE`: sets or clears spec.unschedulable
 * (kubectl/pkg/drain/cordon.go); the scheduler then leaves the node out, running pods stay.
 */
import type { ClusterContext } from '../api/context.js';
import { requireName } from './args.js';
import { print, printError, type Target } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface CordonCommand {
  verb: 'cordon' | 'uncordon';
  node: string;
}

/** Cordons or uncordons; prints as kubectl does. Returns false when the node does not exist. */
export function setUnschedulable(ctx: ClusterContext, node: string, unschedulable: boolean, line: string): boolean {
  const target: Target = { kind: 'Node', namespace: '', name: node };
  const n = ctx.api.get('Node', undefined, node);
  if (!n) {
    printError(ctx, target, line, `Error from server (NotFound): nodes "${node}" not found`);
    return false;
  }
  const word = unschedulable ? 'cordoned' : 'uncordoned';
  if (Boolean(n.spec.unschedulable) === unschedulable) {
    print(ctx, target, line, `node/${node} already ${word}`);
    return true;
  }
  ctx.api.update('Node', undefined, node, (obj) => {
    if (unschedulable) obj.spec.unschedulable = true;
    else delete obj.spec.unschedulable;
  });
  print(ctx, target, line, `node/${node} ${word}`);
  return true;
}

function verb(name: 'cordon' | 'uncordon'): Verb<CordonCommand> {
  return {
    verb: name,
    flags: [],
    parse({ positional }) {
      if (positional.length > 1) throw new KubectlSyntaxError('one node name', `extra argument "${positional[1]}"`);
      return { verb: name, node: requireName(positional[0], `the node to ${name}`) };
    },
    references: (c) => [{ kind: 'Node', namespace: '', name: c.node }],
    run: (ctx, c, line) => void setUnschedulable(ctx, c.node, name === 'cordon', line),
  };
}

export const cordon = verb('cordon');
export const uncordon = verb('uncordon');
