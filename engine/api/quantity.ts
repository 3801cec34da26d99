/**
 * Kubernetes resource quantities, read as k8s.io/apimachinery/pkg/api/resource/quantity.go
 * reads them (parseQuantityString + the suffixer in suffix.go):
 *
 *   <quantity> ::= <signedNumber><suffix>
 *   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei            (binary, 2^10 steps)
 *                | n | u | m | "" | k | M | G | T | P | E  (decimal, 10^3 steps)
 *                | e<signed int> | E<signed int>          (decimal exponent)
 *
 * Values are exact: the number is kept as digits and scaled with BigInt, and the integer views
 * round away from zero like Quantity.MilliValue / Quantity.Value (ScaledValue rounds up), so a
 * request of `0.0001` CPU is 1 millicore, never 0.
 */

const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** quantity.go's grammar as one expression; the suffix is interpreted separately. */
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*(?:[+-]?\d+)?)$/;
const EXPECTED = 'a Kubernetes quantity such as 100m, 2, 1.5, 1e3, 128974848, 129M or 123Mi';
/** Exponents beyond this make a value that no JS number holds; refuse instead of hanging. */
const MAX_EXPONENT = 400;

/** sign * digits * 10^exp10 * 2^exp2, exactly. */
interface Exact {
  negative: boolean;
  digits: bigint;
  exp10: number;
  exp2: number;
}

function parseExact(text: string | number): Exact {
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new RangeError(`${EXPECTED}, not ${text}`);
    // JS prints every finite number in a form the grammar accepts (e.g. 1e+21).
    text = String(text);
  }
  const m = QUANTITY.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(EXPECTED);
  const [, sign, whole, fraction = '', suffix] = m as unknown as [string, string, string, string | undefined, string];
  let exp10 = -fraction.length;
  let exp2 = 0;
  if (suffix in BINARY) exp2 = BINARY[suffix]!;
  else if (suffix in DECIMAL) exp10 += DECIMAL[suffix]!;
  else if (/^[eE][+-]?\d+$/.test(suffix)) {
    const e = Number(suffix.slice(1));
    if (Math.abs(e) > MAX_EXPONENT) throw new RangeError(`${EXPECTED}, with an exponent within ±${MAX_EXPONENT}`);
    exp10 += e;
  } else throw new RangeError(`${EXPECTED} (unknown suffix "${suffix}")`);
  return { negative: sign === '-', digits: BigInt(whole + fraction || '0'), exp10, exp2 };
}

/** The exact value of a quantity, as the nearest JS number. */
export function parseQuantity(text: string | number): number {
  const q = parseExact(text);
  const magnitude = Number(`${q.digits}e${q.exp10}`) * 2 ** q.exp2;
  return q.negative ? -magnitude : magnitude;
}

/** value * 10^scale rounded away from zero to an integer (quantity.go ScaledValue). */
function scaledCeil(q: Exact, scale: number): number {
  const exp10 = q.exp10 + scale;
  let n = q.digits * 2n ** BigInt(q.exp2);
  if (exp10 >= 0) n *= 10n ** BigInt(exp10);
  else {
    const d = 10n ** BigInt(-exp10);
    n = (n + d - 1n) / d;
  }
  const value = Number(n);
  return q.negative && value !== 0 ? -value : value;
}

function nonNegative(text: string | number, what: string): Exact {
  const q = parseExact(text);
  if (q.negative && q.digits !== 0n) throw new RangeError(`a non-negative ${what} quantity, not ${text}`);
  return q;
}

/** CPU in millicores, rounded up (Quantity.MilliValue): `100m` -> 100, `1.5` -> 1500. */
export function parseCpuMilli(text: string | number): number {
  return scaledCeil(nonNegative(text, 'CPU'), 3);
}

/** Memory (or any byte count) as an integer, rounded up (Quantity.Value): `1Gi`, `129e6`. */
export function parseBytes(text: string | number): number {
  return scaledCeil(nonNegative(text, 'memory'), 0);
}

/** True when `text` parses; for validators that keep the original string. */
export function isQuantity(text: unknown): boolean {
  if (typeof text !== 'string' && typeof text !== 'number') return false;
  try {
    parseExact(text);
    return true;
  } catch {
    return false;
  }
}
