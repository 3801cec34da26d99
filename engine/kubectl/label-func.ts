/**
 * kubectl label's own rules (staging/src/k8s.io/kubectl/pkg/cmd/label/label.go): how the
 * `KEY=VALUE` / `KEY-` arguments are read (parseLabels; the split from the resources is
 * pairs.ts's), how the labels of one object change (labelFunc: metadata-map.ts, as for
 * annotations; validateNoOverwrites) and the word printed after it (updateDataChangeMsg). Pure
 * functions; label.ts runs them against the API server.
 */
import type { Labels } from '../api/types.js';
import { isLabelValue } from '../api/validation.js';
import { applyMapChanges, sameMap } from './metadata-map.js';

/** labelFunc: the labels after the command (a new object; the input is not changed). */
export const applyLabels = applyMapChanges;
export const sameLabels = sameMap;

export const MSG_NOT_LABELED = 'not labeled';
export const MSG_LABELED = 'labeled';
export const MSG_UNLABELED = 'unlabeled';

/** parseLabels: labels to set (in argument order) and keys to remove, or kubectl's error. */
export function parseLabels(spec: readonly string[]): { set: Map<string, string>; remove: string[] } | { error: string } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  for (const labelSpec of spec) {
    if (labelSpec.includes('=')) {
      const parts = labelSpec.split('=');
      if (parts.length !== 2) return { error: `invalid label spec: ${labelSpec}` };
      const errs = isLabelValue(parts[1]!);
      if (errs.length) return { error: `invalid label value: ${JSON.stringify(labelSpec)}: ${errs.join(';')}` };
      set.set(parts[0]!, parts[1]!);
    } else if (labelSpec.endsWith('-')) remove.push(labelSpec.slice(0, -1));
    else return { error: `unknown label spec: ${labelSpec}` };
  }
  if (remove.some((k) => set.has(k))) return { error: 'can not both modify and remove a label in the same command' };
  return { set, remove };
}

/**
 * validateNoOverwrites: without --overwrite, setting a label that has another value is refused
 * (the same value is fine, kubernetes#105936). Upstream walks a Go map, in no fixed order;
 * kubesim keeps the command's order. One error prints alone, several as an aggregate `[a, b]`.
 */
export function validateNoOverwrites(labels: Labels | undefined, set: ReadonlyMap<string, string>): string | undefined {
  const errs: string[] = [];
  for (const [key, value] of set) {
    const current = labels?.[key];
    if (current !== undefined && current !== value) errs.push(`'${key}' already has a value (${current}), and --overwrite is false`);
  }
  return aggregate(errs);
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several de-duplicated in brackets. */
export function aggregate(errs: readonly string[]): string | undefined {
  const unique = [...new Set(errs)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/**
 * updateDataChangeMsg: "not labeled" when the object did not change, else "labeled", or
 * "unlabeled" when, without --overwrite, its JSON got shorter. Upstream compares the lengths of
 * the whole object's JSON before and after; only the labels differ, so comparing the labels'
 * JSON is the same test (an object with no labels gains `"labels":{}`, a change). Its quirks are
 * kept: a removal with --overwrite says "labeled", and so does one that adds a longer label
 * than it removes (kubernetes/kubectl#1323).
 */
export function dataChangeMsg(before: Labels | undefined, after: Labels, overwrite: boolean): string {
  const size = (l: Labels | undefined) => (l === undefined ? 0 : `"labels":${JSON.stringify(l)},`.length);
  if (before !== undefined && sameLabels(before, after)) return MSG_NOT_LABELED;
  if (!overwrite && size(after) < size(before)) return MSG_UNLABELED;
  return MSG_LABELED;
}

