/**
 * Durations as Go's time.ParseDuration reads them (src/time/format.go), because Kubernetes
 * flags and manifests write times that way: `250ms`, `15s`, `1h30m`, `1.5s`, `300us`/`300µs`,
 * `10ns`. kubesim works in seconds (float64), so a bare number, or a numeric string, means
 * seconds. Unlike Go, a sign is refused: no kubesim time may be negative.
 */

/** Seconds per unit, longest unit names first so that `ms` is not read as `m` + garbage. */
const UNIT_SECONDS: ReadonlyArray<readonly [string, number]> = [
  ['ns', 1e-9],
  ['us', 1e-6],
  ['\u00b5s', 1e-6], // micro sign, as Go accepts
  ['\u03bcs', 1e-6], // Greek small letter mu, as Go accepts
  ['ms', 1e-3],
  ['s', 1],
  ['m', 60],
  ['h', 3600],
];

const EXPECTED = 'a duration such as 250ms, 15s, 1h30m or a number of seconds';
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const COMPONENT = /^(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;

export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new RangeError(`${EXPECTED}, not negative or infinite`);
    return text;
  }
  const s = text.trim();
  if (s === '') throw new RangeError(`${EXPECTED}, not an empty string`);
  if (NUMBER.test(s)) return Number(s);
  let rest = s;
  let seconds = 0;
  while (rest !== '') {
    const m = COMPONENT.exec(rest);
    if (!m) throw new RangeError(`${EXPECTED} (units ns, us, ms, s, m, h)`);
    const unit = UNIT_SECONDS.find(([name]) => name === m[2])!;
    seconds += Number(m[1]) * unit[1];
    rest = rest.slice(m[0].length);
  }
  if (!Number.isFinite(seconds)) throw new RangeError(`${EXPECTED}, not an overflowing value`);
  return seconds;
}

/** Trims a fixed-point decimal: 1.500 -> 1.5, 2.000 -> 2. */
function trimDecimal(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '');
}

/**
 * The shortest Go-style spelling of a duration: Go's Duration.String without its zero
 * components (`1h` rather than `1h0m0s`), so `1m30s`, `250ms`, `1.5s`. Rounded to the
 * nanosecond like a Go Duration. Micro-seconds are written `us` to stay ASCII in CSV headers.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`a finite number of seconds, not ${seconds}`);
  const sign = seconds < 0 ? '-' : '';
  const ns = Math.round(Math.abs(seconds) * 1e9);
  if (ns === 0) return '0s';
  if (ns < 1e3) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${trimDecimal(ns / 1e3, 3)}us`;
  if (ns < 1e9) return `${sign}${trimDecimal(ns / 1e6, 6)}ms`;
  const hours = Math.floor(ns / 3.6e12);
  const minutes = Math.floor((ns - hours * 3.6e12) / 6e10);
  const restNs = ns - hours * 3.6e12 - minutes * 6e10;
  let out = sign;
  if (hours > 0) out += `${hours}h`;
  if (minutes > 0) out += `${minutes}m`;
  if (restNs > 0) out += `${trimDecimal(restNs / 1e9, 9)}s`;
  return out;
}
