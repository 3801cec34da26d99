/**
 * `--set PATH=VALUE` (and --seed, --duration): edits to the parsed document before it is
 * validated, so an override is checked exactly like the file itself. PATH is dotted with
 * `[i]` indexes (`spec.load[0].arrivals.rate`); VALUE is a YAML scalar or flow value.
 */
import { parse as parseYaml } from 'yaml';
import { describeValue, errors } from './errors.js';
import { isPlainObject } from './schema.js';

export type Segment = string | number;

const SEGMENT = /^([^.[\]]+)|^\.([^.[\]]+)|^\[(\d+)\]/;

export function parseOverridePath(path: string): Segment[] | undefined {
  const segments: Segment[] = [];
  let rest = path;
  while (rest !== '') {
    const m = SEGMENT.exec(rest);
    if (!m || (segments.length === 0 && m[2] !== undefined)) return undefined;
    if (segments.length > 0 && m[1] !== undefined) return undefined;
    const segment = m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2])!;
    // Writing through __proto__ would modify Object.prototype, not the document.
    if (segment === '__proto__') return undefined;
    segments.push(segment);
    rest = rest.slice(m[0].length);
  }
  return segments.length ? segments : undefined;
}

function formatPath(segments: readonly Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * Applies one `PATH=VALUE` to `doc` in place. `flag` names the option in errors (`--set`).
 */
export function applyOverride(doc: unknown, assignment: string, flag = '--set'): void {
  const argument = `${flag} ${assignment}`;
  const eq = assignment.indexOf('=');
  const segments = eq > 0 ? parseOverridePath(assignment.slice(0, eq)) : undefined;
  if (!segments) throw errors.badOverride(argument, 'PATH=VALUE with a PATH such as spec.load[0].arrivals.rate', `"${assignment}"`);
  const valueText = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = valueText === '' ? '' : parseYaml(valueText);
  } catch {
    throw errors.badOverride(argument, 'a YAML value such as 5, true, abc or {a: 1}', `"${valueText}"`);
  }
  setOverride(doc, segments, value, argument);
}

/**
 * Sets `value` at `segments` in `doc`. `argument` is the option as the user wrote it, for errors.
 * Missing mappings along the path are created; list indexes must exist.
 */
export function setOverride(doc: unknown, segments: readonly Segment[], value: unknown, argument: string): void {
  let node = doc;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    const here = formatPath(segments.slice(0, i)) || 'the document';
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) throw errors.badOverride(argument, `a list at ${here}`, describeValue(node));
      if (segment >= node.length) {
        throw errors.badOverride(argument, `an index below ${node.length} (the length of ${here})`, `[${segment}]`);
      }
      if (last) node[segment] = value;
      else node = node[segment];
    } else {
      if (!isPlainObject(node)) throw errors.badOverride(argument, `a mapping at ${here}`, describeValue(node));
      if (last) node[segment] = value;
      else {
        // A missing mapping is created (`--set spec.cluster.podCIDR=...` on a file without it);
        // a missing list is not, since its index could not exist.
        const exists = Object.hasOwn(node, segment) && node[segment] !== null;
        if (!exists && typeof segments[i + 1] === 'string') node[segment] = {};
        node = Object.hasOwn(node, segment) ? node[segment] : undefined;
      }
    }
  }
}
