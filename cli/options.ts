/** Parsers for command-line values; each throws a UsageError naming the flag. */
import { parseDuration } from '../engine/core/duration.js';
import { usage } from './errors.js';

export function parseSeed(value: string, flag = '--seed'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw usage.badNumber(flag, value, 'an integer from 0 to 4294967295');
  }
  return n;
}

export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) throw usage.badNumber(flag, value, 'an integer >= 1');
  return n;
}

export function checkDuration(value: string, flag: string): string {
  try {
    if (!(parseDuration(value) > 0)) throw new RangeError('not positive');
  } catch {
    throw usage.badValue(flag, value, 'a positive duration such as 90s, 10m or 1h30m');
  }
  return value;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
