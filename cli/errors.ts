/**
 * Exit codes: 0 success, 1 internal error (a bug: printed with its stack), 2 user error (bad
 * file, bad flag: one line, no stack), 130 interrupted (SIGINT).
 */
import { isUserError } from '../engine/scenario/errors.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** A bad command line: exit 2 with this one-line message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const usage = {
  badNumber(flag: string, value: string, expected: string): UsageError {
    return new UsageError(`${flag}: expected ${expected}, found ${JSON.stringify(value)}`);
  },
  badValue(flag: string, value: string, expected: string): UsageError {
    return new UsageError(`${flag}: expected ${expected}, found ${JSON.stringify(value)}`);
  },
};

/** Prints an error the way its kind deserves and returns the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError || isUserError(error)) {
    process.stderr.write(`kubesim: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`kubesim: internal error (please report it): ${text}\n`);
  return EXIT_INTERNAL;
}
