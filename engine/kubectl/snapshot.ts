/**
 * `kubesim run --snapshot AT`: at AT, what these kubectl commands would print, each written to
 * the observer's snapshot stream (snapshots.txt) as a timeline `kubectl get` is. A type with no
 * object is left out of its table, as kubectl does; a command with nothing at all prints
 * "No resources found".
 */
import type { ClusterContext } from '../api/context.js';
import { renderGet } from './get.js';
import { parseKubectl } from './index.js';
import { printTable } from './output.js';
import type { GetCommand } from './get.js';

export const SNAPSHOT_COMMANDS: readonly string[] = [
  'kubectl get nodes',
  'kubectl get pods -A -o wide',
  'kubectl get deploy,rs,sts,ds -A',
  'kubectl get svc -A',
  'kubectl get pvc,pv -A',
];

export function takeSnapshot(ctx: ClusterContext): void {
  if (!ctx.observer.snapshot) return;
  for (const line of SNAPSHOT_COMMANDS) printTable(ctx, line, renderGet(ctx, parseKubectl(line) as GetCommand));
}
