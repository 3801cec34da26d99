/**
 * RFC 3339 times as Kubernetes writes them (metav1.Time: `2026-01-01T00:00:00Z`, with an
 * optional fraction and offset), to and from Unix seconds. Go's zero time
 * `0001-01-01T00:00:00Z` is a valid value (upstream tests use it), so years 1-9999 are
 * handled without JavaScript's two-digit-year shortcut.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Unix seconds of Go's zero time.Time. */
export const ZERO_TIME = -62135596800;

/** Unix seconds, or undefined when `text` is not RFC 3339. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  let seconds = date.getTime() / 1000 + (frac ? Number(`0${frac}`) : 0);
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    seconds -= sign * (Number(zone!.slice(1, 3)) * 3600 + Number(zone!.slice(4, 6)) * 60);
  }
  return seconds;
}

/** `2026-01-01T00:00:00Z`; a fraction only when there is one (Go's RFC3339Nano trims zeros). */
export function formatRfc3339(seconds: number): string {
  const whole = Math.floor(seconds);
  const date = new Date(whole * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const base =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const nanos = Math.round((seconds - whole) * 1e9);
  const fraction = nanos > 0 && nanos < 1e9 ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${base}${fraction}Z`;
}
