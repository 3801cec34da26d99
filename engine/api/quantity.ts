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

const DECIMAL_SUFFIXES: Readonly<Record<number, string>> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/**
 * Quantity.String(): the canonical text of a quantity in the format it was written in
 * (quantity.go CanonicalizeBytes): DecimalSI picks the largest power of 1000 that keeps the
 * mantissa whole (`1500m`, `2k`, `0.5` -> `500m`); BinarySI the largest power of 1024 for a whole
 * value of at least 1024 (`1Gi`, else DecimalSI); DecimalExponent writes `e<n>`. Values below
 * one nano round up to it, as a Quantity holds them.
 */
export function formatQuantity(text: string | number): string {
  const q = parseExact(text);
  const source = String(text);
  let digits = q.digits * 2n ** BigInt(q.exp2);
  let exp10 = q.exp10;
  if (digits === 0n) return '0';
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp10++;
  }
  const sign = q.negative ? '-' : '';
  if (/[KMGTPE]i$/.test(source) && exp10 >= 0) {
    const whole = digits * 10n ** BigInt(exp10);
    if (whole >= 1024n) {
      let k = 0;
      let mantissa = whole;
      while (k < BINARY_SUFFIXES.length - 1 && mantissa % 1024n === 0n) {
        mantissa /= 1024n;
        k++;
      }
      return `${sign}${mantissa}${BINARY_SUFFIXES[k]}`;
    }
  }
  if (exp10 < -9) {
    const d = 10n ** BigInt(-9 - exp10);
    digits = (digits + d - 1n) / d;
    exp10 = -9;
  }
  const e = Math.min(Math.floor(exp10 / 3) * 3, 18);
  const mantissa = digits * 10n ** BigInt(exp10 - e);
  const exponentFormat = /\d[eE][+-]?\d+$/.test(source);
  return `${sign}${mantissa}${exponentFormat ? (e === 0 ? '' : `e${e}`) : DECIMAL_SUFFIXES[e]}`;
}
