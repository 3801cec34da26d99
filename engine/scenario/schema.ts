/**
 * A small schema DSL: one definition both validates (and normalizes) a parsed YAML value and
 * emits the JSON Schema (draft 2020-12) that editors use for completion. Validation stops at
 * the first problem and reports it as a ScenarioError with the exact path, so the message a
 * user sees and the schema their editor shows can never disagree.
 *
 * Nothing here knows about scenarios; engine/scenario/scenario-schema.ts is the one user.
 */
import { parseDuration } from '../core/duration.js';
import { isQuantity, parseBytes, parseCpuMilli } from '../api/quantity.js';
import { describeValue, errors } from './errors.js';

export type JsonSchema = { [keyword: string]: unknown };

/** Where a value sits: the file it came from and its path inside the document. */
export interface Ctx {
  readonly file: string | undefined;
  readonly path: string;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Path of a child: `spec.seed`, `labels["kubernetes.io/os"]`, `nodes[2]`. */
export function at(ctx: Ctx, key: string | number): Ctx {
  if (typeof key === 'number') return { file: ctx.file, path: `${ctx.path}[${key}]` };
  if (!PLAIN_KEY.test(key)) return { file: ctx.file, path: `${ctx.path}[${JSON.stringify(key)}]` };
  return { file: ctx.file, path: ctx.path ? `${ctx.path}.${key}` : key };
}

/** Fails validation at `ctx` with a message in the house style. */
export function fail(ctx: Ctx, expected: string, found: unknown): never {
  throw errors.wrongType(ctx.file, ctx.path, expected, found);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export abstract class Schema<T> {
  description: string | undefined;
  defaultValue: { value: T; json: unknown } | undefined;

  /** What a valid value looks like, in words, for error messages. */
  abstract readonly expected: string;
  protected abstract check(value: unknown, ctx: Ctx): T;
  protected abstract schema(): JsonSchema;

  parse(value: unknown, ctx: Ctx): T {
    return this.check(value, ctx);
  }

  json(): JsonSchema {
    const out: JsonSchema = {};
    if (this.description !== undefined) out.description = this.description;
    Object.assign(out, this.schema());
    if (this.defaultValue !== undefined) out.default = this.defaultValue.json;
    return out;
  }

  describe(text: string): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this)) as this, this, { description: text });
  }

  /**
   * The value an object field takes when it is absent (already normalized). `json` is how the
   * default is written in a document, when that differs (e.g. `2` CPUs for 2000 millicores).
   */
  default(value: T, json: unknown = value): this & { readonly hasDefault: true } {
    return Object.assign(Object.create(Object.getPrototypeOf(this)) as this, this, {
      defaultValue: { value, json },
    }) as this & { readonly hasDefault: true };
  }
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function range(min?: number, max?: number, exclusiveMin?: number): string {
  const parts: string[] = [];
  if (exclusiveMin !== undefined) parts.push(`> ${exclusiveMin}`);
  if (min !== undefined) parts.push(`>= ${min}`);
  if (max !== undefined) parts.push(`<= ${max}`);
  return parts.join(' and ');
}

export interface Bounds {
  min?: number;
  max?: number;
  exclusiveMin?: number;
}

function inBounds(v: number, b: Bounds): boolean {
  return !(
    (b.min !== undefined && v < b.min) ||
    (b.max !== undefined && v > b.max) ||
    (b.exclusiveMin !== undefined && v <= b.exclusiveMin)
  );
}

function boundsJson(b: Bounds): JsonSchema {
  const out: JsonSchema = {};
  if (b.min !== undefined) out.minimum = b.min;
  if (b.exclusiveMin !== undefined) out.exclusiveMinimum = b.exclusiveMin;
  if (b.max !== undefined) out.maximum = b.max;
  return out;
}

export class NumberSchema extends Schema<number> {
  readonly expected: string;
  constructor(
    private readonly integer: boolean,
    private readonly bounds: Bounds,
  ) {
    super();
    const r = range(bounds.min, bounds.max, bounds.exclusiveMin);
    this.expected = `${integer ? 'an integer' : 'a number'}${r ? ` ${r}` : ''}`;
  }
  protected check(value: unknown, ctx: Ctx): number {
    const ok = typeof value === 'number' && Number.isFinite(value) && (!this.integer || Number.isInteger(value));
    if (!ok || !inBounds(value, this.bounds)) fail(ctx, this.expected, value);
    return value;
  }
  protected schema(): JsonSchema {
    return { type: this.integer ? 'integer' : 'number', ...boundsJson(this.bounds) };
  }
}

export const int = (bounds: { min?: number; max?: number } = {}) => new NumberSchema(true, bounds);
export const num = (bounds: Bounds = {}) => new NumberSchema(false, bounds);

export interface StringRules {
  pattern?: RegExp;
  /** Words for the pattern, e.g. 'a DNS-1123 label'. */
  patternName?: string;
  minLength?: number;
  maxLength?: number;
}

export class StringSchema extends Schema<string> {
  readonly expected: string;
  constructor(private readonly rules: StringRules) {
    super();
    const limit = rules.maxLength !== undefined ? ` of at most ${rules.maxLength} characters` : '';
    this.expected = `${rules.patternName ?? (rules.minLength ? 'a non-empty string' : 'a string')}${limit}`;
  }
  protected check(value: unknown, ctx: Ctx): string {
    const r = this.rules;
    if (
      typeof value !== 'string' ||
      (r.minLength !== undefined && value.length < r.minLength) ||
      (r.maxLength !== undefined && value.length > r.maxLength) ||
      (r.pattern !== undefined && !r.pattern.test(value))
    ) {
      fail(ctx, this.expected, value);
    }
    return value;
  }
  protected schema(): JsonSchema {
    const out: JsonSchema = { type: 'string' };
    if (this.rules.minLength !== undefined) out.minLength = this.rules.minLength;
    if (this.rules.maxLength !== undefined) out.maxLength = this.rules.maxLength;
    if (this.rules.pattern !== undefined) out.pattern = this.rules.pattern.source;
    return out;
  }
}

export const str = (rules: StringRules = {}) => new StringSchema(rules);

export class BooleanSchema extends Schema<boolean> {
  readonly expected = 'true or false';
  protected check(value: unknown, ctx: Ctx): boolean {
    if (typeof value !== 'boolean') fail(ctx, this.expected, value);
    return value;
  }
  protected schema(): JsonSchema {
    return { type: 'boolean' };
  }
}

export const bool = () => new BooleanSchema();

export class EnumSchema<T extends string | number | boolean> extends Schema<T> {
  readonly expected: string;
  constructor(private readonly values: readonly T[]) {
    super();
    this.expected = values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => String(v)).join(', ')}`;
  }
  protected check(value: unknown, ctx: Ctx): T {
    if (!this.values.includes(value as T)) fail(ctx, this.expected, value);
    return value as T;
  }
  protected schema(): JsonSchema {
    return this.values.length === 1 ? { const: this.values[0] } : { enum: [...this.values] };
  }
}

export const enumOf = <const T extends string | number | boolean>(values: readonly T[]) => new EnumSchema<T>(values);
export const literal = <const T extends string | number | boolean>(value: T) => new EnumSchema<T>([value]);

export class ArraySchema<T> extends Schema<T[]> {
  readonly expected: string;
  constructor(
    private readonly item: Schema<T>,
    private readonly opts: { minItems?: number; maxItems?: number },
  ) {
    super();
    this.expected = opts.minItems ? `a list of at least ${opts.minItems} item${opts.minItems > 1 ? 's' : ''}` : 'a list';
    if (opts.maxItems !== undefined) this.expected += ` and at most ${opts.maxItems}`;
  }
  protected check(value: unknown, ctx: Ctx): T[] {
    if (!Array.isArray(value)) fail(ctx, this.expected, value);
    const { minItems, maxItems } = this.opts;
    if ((minItems !== undefined && value.length < minItems) || (maxItems !== undefined && value.length > maxItems)) {
      fail(ctx, this.expected, value);
    }
    return value.map((item, i) => this.item.parse(item, at(ctx, i)));
  }
  protected schema(): JsonSchema {
    const out: JsonSchema = { type: 'array', items: this.item.json() };
    if (this.opts.minItems !== undefined) out.minItems = this.opts.minItems;
    if (this.opts.maxItems !== undefined) out.maxItems = this.opts.maxItems;
    return out;
  }
}

export const arr = <T>(item: Schema<T>, opts: { minItems?: number; maxItems?: number } = {}) => new ArraySchema(item, opts);

/** A mapping with free keys and uniform values, e.g. labels. */
export class MapSchema<T> extends Schema<Record<string, T>> {
  readonly expected = 'a mapping';
  constructor(private readonly value: Schema<T>) {
    super();
  }
  protected check(value: unknown, ctx: Ctx): Record<string, T> {
    if (!isPlainObject(value)) fail(ctx, this.expected, value);
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.value.parse(v, at(ctx, k));
    return out;
  }
  protected schema(): JsonSchema {
    return { type: 'object', additionalProperties: this.value.json() };
  }
}

export const map = <T>(value: Schema<T>) => new MapSchema(value);

export type Props = Record<string, Schema<unknown>>;
type PresentKeys<P extends Props, R> = {
  [K in keyof P]: K extends R ? K : P[K] extends { readonly hasDefault: true } ? K : never;
}[keyof P];
export type ObjOut<P extends Props, R> = { [K in PresentKeys<P, R>]: Infer<P[K]> } & {
  [K in Exclude<keyof P, PresentKeys<P, R>>]?: Infer<P[K]>;
};

export interface ObjOptions<R> {
  required?: readonly R[];
  /**
   * Fields not in `props`: 'reject' (scenario objects: a typo is an error listing the allowed
   * names) or 'keep' (Kubernetes manifests: fields kubesim does not model pass through untouched).
   */
  additional?: 'reject' | 'keep';
}

export class ObjectSchema<P extends Props, R extends keyof P & string> extends Schema<ObjOut<P, R>> {
  readonly expected = 'a mapping';
  private readonly required: readonly R[];
  private readonly additional: 'reject' | 'keep';
  constructor(
    readonly props: P,
    opts: ObjOptions<R>,
  ) {
    super();
    this.required = opts.required ?? [];
    this.additional = opts.additional ?? 'reject';
  }
  protected check(value: unknown, ctx: Ctx): ObjOut<P, R> {
    if (!isPlainObject(value)) fail(ctx, this.expected, value);
    const allowed = Object.keys(this.props);
    const out: Record<string, unknown> = {};
    // Document order first, so kept manifests round-trip with their keys in place.
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(this.props, key)) {
        if (value[key] !== undefined) out[key] = this.props[key]!.parse(value[key], at(ctx, key));
      } else if (this.additional === 'reject') throw errors.unknownField(ctx.file, ctx.path, key, allowed);
      else out[key] = value[key];
    }
    for (const key of allowed) {
      if (Object.hasOwn(out, key)) continue;
      const schema = this.props[key]!;
      if ((this.required as readonly string[]).includes(key)) throw errors.missingField(ctx.file, ctx.path, key);
      if (schema.defaultValue !== undefined) out[key] = structuredClone(schema.defaultValue.value);
    }
    return out as ObjOut<P, R>;
  }
  protected schema(): JsonSchema {
    const properties: JsonSchema = {};
    for (const [key, schema] of Object.entries(this.props)) properties[key] = schema.json();
    const out: JsonSchema = { type: 'object', properties };
    if (this.required.length) out.required = [...this.required];
    if (this.additional === 'reject') out.additionalProperties = false;
    return out;
  }
}

export const obj = <P extends Props, R extends keyof P & string = never>(props: P, opts: ObjOptions<R> = {}) =>
  new ObjectSchema<P, R>(props, opts);

/**
 * A union told apart by the value of one key (`kind`, `dist`). Each variant declares the key
 * itself (as a `literal`), so its JSON Schema stands alone.
 */
export class UnionSchema<V extends Record<string, Schema<unknown>>> extends Schema<Infer<V[keyof V]>> {
  readonly expected: string;
  constructor(
    private readonly key: string,
    private readonly variants: V,
    expected?: string,
  ) {
    super();
    this.expected = expected ?? `${key} one of ${Object.keys(variants).join(', ')}`;
  }
  protected check(value: unknown, ctx: Ctx): Infer<V[keyof V]> {
    if (!isPlainObject(value)) fail(ctx, `a mapping with ${this.key} set`, value);
    if (value[this.key] === undefined) throw errors.missingField(ctx.file, ctx.path, this.key);
    const tag = value[this.key];
    const variant = typeof tag === 'string' && Object.hasOwn(this.variants, tag) ? this.variants[tag] : undefined;
    if (!variant) {
      throw errors.invalidValue(ctx.file, at(ctx, this.key).path, this.expected, `${this.key} ${describeTag(tag)}`);
    }
    return variant.parse(value, ctx) as Infer<V[keyof V]>;
  }
  protected schema(): JsonSchema {
    return { oneOf: Object.values(this.variants).map((v) => v.json()) };
  }
}

function describeTag(tag: unknown): string {
  return typeof tag === 'string' ? tag : describeValue(tag);
}

export const union = <V extends Record<string, Schema<unknown>>>(key: string, variants: V, expected?: string) =>
  new UnionSchema(key, variants, expected);

/** Alternatives told apart by a predicate (a node vs a node pool, a duration vs a distribution). */
export class OneOfSchema<T> extends Schema<T> {
  constructor(
    private readonly variants: ReadonlyArray<{ when: (value: unknown) => boolean; schema: Schema<T> }>,
    readonly expected: string,
  ) {
    super();
  }
  protected check(value: unknown, ctx: Ctx): T {
    const variant = this.variants.find((v) => v.when(value));
    if (!variant) fail(ctx, this.expected, value);
    return variant.schema.parse(value, ctx);
  }
  protected schema(): JsonSchema {
    return { anyOf: this.variants.map((v) => v.schema.json()) };
  }
}

export const oneOf = <T>(expected: string, variants: ReadonlyArray<{ when: (value: unknown) => boolean; schema: Schema<T> }>) =>
  new OneOfSchema<T>(variants, expected);

/** JSON null: in a map merged over defaults it removes a key, as in a JSON merge patch (RFC 7386). */
export class NullSchema extends Schema<null> {
  readonly expected = 'null';
  protected check(value: unknown, ctx: Ctx): null {
    if (value !== null) fail(ctx, this.expected, value);
    return null;
  }
  protected schema(): JsonSchema {
    return { type: 'null' };
  }
}

export const nullValue = () => new NullSchema();

/** Anything at all (raw Kubernetes manifests are checked by their own code). */
export class AnySchema extends Schema<unknown> {
  readonly expected = 'any value';
  protected check(value: unknown): unknown {
    return value;
  }
  protected schema(): JsonSchema {
    return {};
  }
}

export const any = () => new AnySchema();

/**
 * Validation beyond the shape (min <= max, a sibling's value) or a conversion to another type.
 * `fn` may call `fail(ctx, ...)` or throw a ScenarioError; a RangeError it throws becomes an
 * error at this value's path, with the RangeError's message as what was expected.
 */
export class RefineSchema<T, U> extends Schema<U> {
  constructor(
    private readonly inner: Schema<T>,
    private readonly fn: (value: T, ctx: Ctx) => U,
  ) {
    super();
  }
  get expected(): string {
    return this.inner.expected;
  }
  protected check(value: unknown, ctx: Ctx): U {
    const parsed = this.inner.parse(value, ctx);
    try {
      return this.fn(parsed, ctx);
    } catch (e) {
      if (e instanceof RangeError) throw errors.invalidValue(ctx.file, ctx.path, e.message, describeValue(value));
      throw e;
    }
  }
  protected schema(): JsonSchema {
    return this.inner.json();
  }
}

export const refine = <T, U>(inner: Schema<T>, fn: (value: T, ctx: Ctx) => U) => new RefineSchema(inner, fn);

/** A value in text form parsed by `parser` (durations, quantities), which throws RangeError. */
export class ParsedSchema<T> extends Schema<T> {
  constructor(
    readonly expected: string,
    private readonly parser: (text: string | number) => T,
    private readonly json_: JsonSchema,
  ) {
    super();
  }
  protected check(value: unknown, ctx: Ctx): T {
    if (typeof value !== 'string' && typeof value !== 'number') fail(ctx, this.expected, value);
    try {
      return this.parser(value);
    } catch (e) {
      if (e instanceof RangeError) fail(ctx, this.expected, value);
      throw e;
    }
  }
  protected schema(): JsonSchema {
    return { ...this.json_ };
  }
}

const DURATION_PATTERN = '^(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$';

/** A duration (`250ms`, `1h30m`, or seconds as a number), normalized to seconds. */
export function duration(bounds: Bounds = {}): Schema<number> {
  const r = range(bounds.min, bounds.max, bounds.exclusiveMin);
  const expected = `a duration${r ? ` ${r} seconds` : ''} such as 250ms, 15s, 1h30m or a number of seconds`;
  return new ParsedSchema(
    expected,
    (text) => {
      const seconds = parseDuration(text);
      if (!inBounds(seconds, bounds)) throw new RangeError(expected);
      return seconds;
    },
    { type: ['string', 'number'], pattern: DURATION_PATTERN, minimum: 0 },
  );
}

const QUANTITY_PATTERN = '^[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+|[KMGTPE]i|[numkMGTPE])?$';

/**
 * A Kubernetes quantity. 'cpu' normalizes to millicores and 'memory' to bytes (both rounded up,
 * as the apiserver does); 'text' validates and keeps the value as written (inside manifests).
 */
export function quantity(kind: 'cpu' | 'memory'): Schema<number>;
export function quantity(kind: 'text'): Schema<string | number>;
export function quantity(kind: 'cpu' | 'memory' | 'text'): Schema<number | string | number> {
  const json = { type: ['string', 'number'], pattern: QUANTITY_PATTERN };
  switch (kind) {
    case 'cpu':
      return new ParsedSchema('a CPU quantity such as 100m, 0.5 or 2', parseCpuMilli, json);
    case 'memory':
      return new ParsedSchema('a memory quantity such as 64Mi, 1Gi or 129e6', parseBytes, json);
    case 'text':
      return new ParsedSchema(
        'a Kubernetes quantity such as 100m, 2, 1.5, 64Mi or 1e3',
        (text) => {
          if (!isQuantity(text)) throw new RangeError('quantity');
          return text;
        },
        json,
      );
  }
}
