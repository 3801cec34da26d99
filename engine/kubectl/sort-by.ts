/**
 * `kubectl get ... --sort-by=FIELD` (staging/src/k8s.io/kubectl/pkg/cmd/get/sorter.go): FIELD
 * is a JSONPath, relaxed as kubectl relaxes it (`.a.b`, `a.b`, `{a.b}` and `{.a.b}` are all
 * `{.a.b}`, RelaxedJSONPathExpression), evaluated on each object as the API serves it (kubectl
 * asks for the whole objects when sorting a table: includeObject=Object), times as RFC 3339
 * strings. The first value found is the key (sorter.go isLess on unstructured values):
 * numbers by value; strings as quantities when both parse as one (`100m` < `1`), else in
 * natural order (github.com/fvbommel/sortorder NaturalLess: digit runs by value, so `web-9` <
 * `web-10`; RFC 3339 times sort in time order); an object without the field goes first.
 * A field no object has is kubectl's error `couldn't find any field with path "{.a.b}" in the
 * list of objects`; a table of one row is not sorted, so not checked (SortingPrinter sorts
 * tables of more than one row), while -o yaml/json checks any non-empty list (SortObjects).
 *
 * JSONPath here: `.name` and `[N]` steps (`['name']` for keys with dots or slashes), what
 * --sort-by is used with; filters, wildcards, slices and recursive descent are refused when
 * the scenario loads. Upstream sorts with sort.Sort, stable for the short lists its insertion
 * sort handles (12 items or fewer) and not beyond; kubesim's sort is stable throughout, so
 * equal keys keep the API's order (namespace, then name).
 */
import { isQuantity, parseQuantity } from '../api/quantity.js';
import { KubectlSyntaxError } from './syntax-error.js';

export type PathStep = string | number;

/** A parsed --sort-by: the relaxed expression kubectl names in its errors, and its steps. */
export interface SortField {
  expression: string;
  steps: PathStep[];
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/** RelaxedJSONPathExpression, then the steps of the path; a KubectlSyntaxError for what kubectl or kubesim refuses. */
export function parseSortField(text: string): SortField {
  const m = RELAXED.exec(text);
  if (!m) {
    throw new KubectlSyntaxError(
      "--sort-by=.name1.name2 (a JSONPath)",
      `"${text}": unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'`,
    );
  }
  const spec = m[1] ?? m[2]!;
  const expression = `{.${spec}}`;
  const steps: PathStep[] = [];
  const path = `.${spec}`;
  let i = 0;
  const unsupported = () =>
    new KubectlSyntaxError("--sort-by=.name1.name2 with .name, [N] and ['name'] steps (JSONPath filters, wildcards and slices are not supported here)", `"${text}"`);
  while (i < path.length) {
    if (path[i] === '.') {
      const name = /^[^.[\]'"*@?()]+/.exec(path.slice(i + 1))?.[0];
      if (name === undefined) throw unsupported();
      steps.push(name);
      i += 1 + name.length;
    } else if (path[i] === '[') {
      const index = /^\[(\d+)\]/.exec(path.slice(i));
      const key = /^\['([^']*)'\]/.exec(path.slice(i));
      if (index) {
        steps.push(Number(index[1]));
        i += index[0].length;
      } else if (key) {
        steps.push(key[1]!);
        i += key[0].length;
      } else throw unsupported();
    } else throw unsupported();
  }
  return { expression, steps };
}

/** The value at the path (AllowMissingKeys: undefined when any step is missing). */
export function valueAt(object: unknown, steps: readonly PathStep[]): unknown {
  let v: unknown = object;
  for (const step of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(v) || step >= v.length) return undefined;
      v = v[step];
    } else {
      if (Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[step];
    }
  }
  return v;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** sortorder.NaturalLess: digit runs compare by value (fewer leading zeros first on a tie), the rest bytewise. */
export function naturalLess(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c1 = a[i]!;
    const c2 = b[j]!;
    const d1 = isDigit(c1);
    const d2 = isDigit(c2);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i++;
      j++;
      continue;
    }
    while (i < a.length && a[i] === '0') i++;
    while (j < b.length && b[j] === '0') j++;
    const nz1 = i;
    const nz2 = j;
    while (i < a.length && isDigit(a[i]!)) i++;
    while (j < b.length && isDigit(b[j]!)) j++;
    if (i - nz1 !== j - nz2) return i - nz1 < j - nz2;
    const n1 = a.slice(nz1, i);
    const n2 = b.slice(nz2, j);
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  return a.length < b.length;
}

/** Go's %T of an unstructured value, for kubectl's "unsortable type" error. */
function goType(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

export class UnsortableError extends Error {}

/** isLess on two unstructured values (both present): strings, numbers, null; anything else is unsortable. */
function isLess(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a !== null ? false : b !== null;
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    if (isQuantity(a) && isQuantity(b)) return parseQuantity(a) < parseQuantity(b);
    return naturalLess(a, b);
  }
  const bad = typeof a === 'number' || typeof a === 'string' ? b : a;
  throw new UnsortableError(`unsortable ${typeof a === typeof b ? 'type' : 'interface'}: ${typeof a === typeof b ? goType(bad) : 'interface'}`);
}

/**
 * The objects (API forms alongside) in --sort-by order; `checkFound` false for a table of one
 * row. Throws kubectl's error text (without its `error: ` prefix) for a field no object has,
 * or for values it cannot order.
 */
export function sortByField<T>(items: readonly T[], apiForm: (item: T) => unknown, field: SortField, checkFound: boolean): T[] {
  const keyed = items.map((item) => ({ item, key: valueAt(apiForm(item), field.steps) }));
  if (checkFound && keyed.length > 0 && keyed.every((k) => k.key === undefined)) {
    throw new Error(`couldn't find any field with path "${field.expression}" in the list of objects`);
  }
  try {
    keyed.sort((x, y) => {
      if (x.key === undefined || y.key === undefined) return x.key === undefined ? (y.key === undefined ? 0 : -1) : 1;
      if (isLess(x.key, y.key)) return -1;
      return isLess(y.key, x.key) ? 1 : 0;
    });
  } catch (e) {
    if (!(e instanceof UnsortableError)) throw e;
    throw new Error(`Field ${field.expression} in [][][]reflect.Value is an unsortable type: interface, err: ${e.message}`);
  }
  return keyed.map((k) => k.item);
}
