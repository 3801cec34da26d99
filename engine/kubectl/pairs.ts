/**
 * How kubectl splits `TYPE NAME... KEY=VALUE... KEY-...` arguments, for `kubectl label` and
 * `kubectl annotate` (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go GetResourcesAndPairs,
 * ParsePairs). Pure functions; an error is kubectl's text.
 */

/**
 * GetResourcesAndPairs: arguments up to the first pair are resources; a pair contains '=' (not
 * first) or ends with '-' (and is not just "-"); a resource after a pair is an error.
 */
export function resourcesAndPairs(args: readonly string[], pairType: string): { resources: string[]; pairs: string[] } | { error: string } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const s of args) {
    const isPair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (isPair) pairs.push(s);
    else if (pairs.length > 0) return { error: `all resources must be specified before ${pairType} changes: ${s}` };
    else resources.push(s);
  }
  return { resources, pairs };
}

/**
 * ParsePairs with removal: `KEY=VALUE` sets (split at the first '=', so the value may hold
 * more; the last value of a key repeated wins, the key keeping its first place), `KEY-`
 * removes; anything else is `invalid <pairType> format: a, b`. Values are not checked: an
 * annotation's value is any string.
 */
export function parsePairs(pairArgs: readonly string[], pairType: string): { set: Map<string, string>; remove: string[] } | { error: string } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const arg of pairArgs) {
    const eq = arg.indexOf('=');
    if (eq > 0) set.set(arg.slice(0, eq), arg.slice(eq + 1));
    else if (arg.endsWith('-') && arg !== '-') remove.push(arg.slice(0, -1));
    else invalid.push(arg);
  }
  if (invalid.length > 0) return { error: `invalid ${pairType} format: ${invalid.join(', ')}` };
  return { set, remove };
}
