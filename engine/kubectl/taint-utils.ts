/**
 * kubectl taint's rules (staging/src/k8s.io/kubectl/pkg/cmd/taint/utils.go), function for
 * function: parseTaints / parseTaint (`KEY[=VALUE]:EFFECT` adds, `KEY[:EFFECT]-` removes),
 * reorganizeTaints (the node's new list and the word printed: tainted, untainted, modified),
 * checkIfTaintsAlreadyExists, deleteTaint, deleteTaintsByKey. Pure; taint.ts runs them.
 */
import type { Taint, TaintEffect } from '../api/types.js';
import { isLabelKey, isLabelValue } from '../api/validation.js';
import { aggregate } from './label-func.js';

export const MODIFIED = 'modified';
export const TAINTED = 'tainted';
export const UNTAINTED = 'untainted';

/** A taint to add, or one to remove (no value; no effect removes every effect of the key). */
export interface TaintSpec {
  key: string;
  value?: string;
  effect?: TaintEffect;
}

const EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** v1.Taint.ToString: `key=value:effect`, or `key:effect` without a value. */
export function taintString(t: TaintSpec): string {
  return t.value ? `${t.key}=${t.value}:${t.effect ?? ''}` : `${t.key}:${t.effect ?? ''}`;
}

/** Go's %v of a v1.Taint ({key value effect <nil>}), in the duplicate-taint error. */
function goTaint(t: TaintSpec): string {
  return `{${t.key} ${t.value ?? ''} ${t.effect ?? ''} <nil>}`;
}

/** parseTaint: `<key>=<value>:<effect>`, `<key>:<effect>` or `<key>`. */
export function parseTaint(st: string): TaintSpec | { error: string } {
  const parts = st.split(':');
  let key: string;
  let value = '';
  let effect: TaintEffect | undefined;
  if (parts.length === 1) key = parts[0]!;
  else if (parts.length === 2) {
    if (!EFFECTS.includes(parts[1]!)) return { error: `invalid taint effect: ${parts[1]}, unsupported taint effect` };
    effect = parts[1] as TaintEffect;
    const kv = parts[0]!.split('=');
    if (kv.length > 2) return { error: `invalid taint spec: ${st}` };
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      const errs = isLabelValue(value);
      if (errs.length) return { error: `invalid taint spec: ${st}, ${errs.join('; ')}` };
    }
  } else return { error: `invalid taint spec: ${st}` };
  const errs = isLabelKey(key);
  if (errs.length) return { error: `invalid taint spec: ${st}, ${errs.join('; ')}` };
  return { key, ...(value !== '' && { value }), ...(effect !== undefined && { effect }) };
}

/** parseTaints: the taints to add and to remove; an added taint needs an effect and must be unique by key and effect. */
export function parseTaints(spec: readonly string[]): { add: TaintSpec[]; remove: TaintSpec[] } | { error: string } {
  const add: TaintSpec[] = [];
  const remove: TaintSpec[] = [];
  for (const taintSpec of spec) {
    if (taintSpec.endsWith('-')) {
      const t = parseTaint(taintSpec.slice(0, -1));
      if ('error' in t) return t;
      remove.push({ key: t.key, ...(t.effect !== undefined && { effect: t.effect }) });
      continue;
    }
    const t = parseTaint(taintSpec);
    if ('error' in t) return t;
    if (t.effect === undefined) return { error: `invalid taint spec: ${taintSpec}` };
    if (add.some((a) => a.key === t.key && a.effect === t.effect)) return { error: `duplicated taints with the same key and effect: ${goTaint(t)}` };
    add.push(t);
  }
  return { add, remove };
}

/** TaintOptions.Validate: a taint may not be both added and removed by one command. */
export function conflictingTaints(add: readonly TaintSpec[], remove: readonly TaintSpec[]): string | undefined {
  const conflicts: string[] = [];
  for (const a of add) {
    for (const r of remove) {
      if (a.key !== r.key) continue;
      if (r.effect === undefined || a.effect === r.effect) conflicts.push(`{"${r.key}":"${r.effect ?? ''}"}`);
    }
  }
  return conflicts.length ? `can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}` : undefined;
}

/** Taint.MatchTaint: same key and effect. */
const matchTaint = (a: TaintSpec, b: TaintSpec) => a.key === b.key && a.effect === b.effect;

/** checkIfTaintsAlreadyExists: keys of the taints to add that the node has with the same effect, comma-separated. */
export function checkIfTaintsAlreadyExists(oldTaints: readonly Taint[], taints: readonly TaintSpec[]): string {
  const existing: string[] = [];
  for (const t of taints) for (const old of oldTaints) if (t.key === old.key && t.effect === old.effect) existing.push(t.key);
  return existing.join(',');
}

/** deleteTaintsByKey: every taint with the key goes. */
export function deleteTaintsByKey(taints: readonly Taint[], key: string): [Taint[], boolean] {
  const next = taints.filter((t) => t.key !== key);
  return [next, next.length !== taints.length];
}

/** deleteTaint: the taints with the key and effect go. */
export function deleteTaint(taints: readonly Taint[], toDelete: TaintSpec): [Taint[], boolean] {
  const next = taints.filter((t) => !matchTaint(toDelete, t));
  return [next, next.length !== taints.length];
}

/**
 * reorganizeTaints: the new taints first, then the node's others (a new taint with an old one's
 * key and effect replaces it), then the removals. The word: "modified" with --overwrite or when
 * a taint was both added and removed, "tainted" when the count grew, else "untainted".
 * Upstream's quirks are kept: `added` is a change of count, `deleted` is the last removal's
 * result. A removal that finds nothing is an error (`taint "KEY:EFFECT" not found`), and then
 * the node is not changed.
 */
export function reorganizeTaints(
  oldTaints: readonly Taint[],
  overwrite: boolean,
  add: readonly TaintSpec[],
  remove: readonly TaintSpec[],
): { operation: string; taints: Taint[]; error?: string } {
  let taints: Taint[] = add.map((t) => ({ key: t.key, ...(t.value !== undefined && { value: t.value }), effect: t.effect! }));
  for (const old of oldTaints) if (!taints.some((t) => matchTaint(t, old))) taints.push(old);
  const added = oldTaints.length !== taints.length;
  const errs: string[] = [];
  let deleted = false;
  for (const r of remove) {
    [taints, deleted] = r.effect !== undefined ? deleteTaint(taints, r) : deleteTaintsByKey(taints, r.key);
    if (!deleted) errs.push(`taint ${JSON.stringify(taintString(r))} not found`);
  }
  const operation = (added && deleted) || overwrite ? MODIFIED : added ? TAINTED : UNTAINTED;
  const error = aggregate(errs);
  return error === undefined ? { operation, taints } : { operation, taints, error };
}
