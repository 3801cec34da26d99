/**
 * Object names the way Kubernetes makes them.
 *
 * - generateName suffixes: 5 characters from apimachinery's `utilrand` alphabet
 *   (k8s.io/apimachinery/pkg/util/rand/rand.go, `alphanums`), as names.SimpleNameGenerator does
 *   (k8s.io/apiserver/pkg/storage/names/generate.go, randomLength = 5).
 * - pod-template-hash: upstream hashes the pod template with FNV-32a and encodes the decimal
 *   form of the hash with `rand.SafeEncodeString` (pkg/controller/controller_utils.go
 *   ComputeHash). Upstream feeds FNV a spew dump of the Go struct, which cannot be reproduced
 *   outside Go; we feed it canonical JSON of the template, so hashes have the same form
 *   (digits mapped to "45678 9bcdf") and change exactly when the template changes.
 */
import type { Rng } from '../core/rng.js';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each byte picks alphanums[b % 27]. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += ALPHANUMS[text.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** utilrand.String(n) from a seeded stream. */
export function randomSuffix(rng: Rng, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMS[rng.int(ALPHANUMS.length)];
  return out;
}

/** FNV-32a over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let hash = 0x811c9dc5;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The pod-template-hash label value of a template (ComputeHash with collisionCount nil). */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let text = canonicalJson(template);
  if (collisionCount !== undefined) text += String(collisionCount);
  return safeEncodeString(String(fnv32a(text)));
}

/** A deterministic RFC 4122-shaped uid from a counter (version 4 and variant bits set). */
export function uidFromCounter(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}
