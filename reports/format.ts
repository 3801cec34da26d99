/**
 * How numbers look in every CSV: integers as they are, other values rounded to 6 decimals
 * (sub-microsecond digits are float noise, not information), and an empty cell where a value
 * is undefined (no request in an interval has no latency), which spreadsheets show as blank and
 * pandas reads as NaN. Deterministic: the same number always prints the same way.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  const rounded = Math.round(value * 1e6) / 1e6;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
