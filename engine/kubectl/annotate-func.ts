/**
 * kubectl annotate's own rules (staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go): how
 * the `KEY=VALUE` / `KEY-` arguments are read (parseAnnotations: cmdutil.ParsePairs, pairs.ts),
 * which may not go together (validateAnnotations), and when an existing value stops the command
 * (validateNoAnnotationOverwrites). How the annotations change is metadata-map.ts's, as for
 * labels. Pure functions; annotate.ts runs them against the API server.
 */
import type { Labels } from '../api/types.js';
import { CHANGE_CAUSE_ANNOTATION } from '../controllers/deployment-util.js';
import { parsePairs } from './pairs.js';

/** parseAnnotations: ParsePairs(args, "annotation", true). */
export function parseAnnotations(args: readonly string[]): { set: Map<string, string>; remove: string[] } | { error: string } {
  return parsePairs(args, 'annotation');
}

/** validateAnnotations: a key both set and removed, in the order of the removals. */
export function validateAnnotations(remove: readonly string[], set: ReadonlyMap<string, string>): string | undefined {
  const both = remove.filter((key) => set.has(key));
  return both.length === 0 ? undefined : `can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`;
}

/**
 * validateNoAnnotationOverwrites: without --overwrite, setting an annotation that has another
 * value is refused; the same value is not an overwrite, and kubernetes.io/change-cause may
 * always be overwritten. Upstream walks a Go map, in no fixed order; kubesim keeps the
 * command's. The clashes are joined with "; " into one error.
 */
export function validateNoAnnotationOverwrites(annotations: Labels | undefined, set: ReadonlyMap<string, string>): string | undefined {
  const clashes: string[] = [];
  for (const [key, value] of set) {
    if (key === CHANGE_CAUSE_ANNOTATION) continue;
    const current = annotations?.[key];
    if (current !== undefined && current !== value) clashes.push(`'${key}' already has a value (${current})`);
  }
  return clashes.length === 0 ? undefined : `--overwrite is false but found the following declared annotation(s): ${clashes.join('; ')}`;
}
