/**
 * User errors in scenario input. Every problem with a file, its YAML, its schema or its
 * references becomes one ScenarioError naming the file, the path inside it, what was expected
 * and what was found; the CLI prints its one-line message and exits 2 (internal errors exit 1).
 * Errors are made by the named factories below so that the wording stays uniform.
 */

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly file: string | undefined,
    /** Dotted path inside the document (`spec.load[0].arrivals.rate`); '' for the whole document. */
    readonly path: string,
    readonly expected: string,
    readonly found: string | undefined,
  ) {
    super(formatMessage(file, path, expected, found));
  }
}

function formatMessage(file: string | undefined, path: string, expected: string, found: string | undefined): string {
  const where = [file, path].filter((part) => part !== undefined && part !== '').join(': ');
  const what = found === undefined ? `expected ${expected}` : `expected ${expected}, found ${found}`;
  // One line, always: YAML parser messages carry code frames that would break it.
  return (where ? `${where}: ${what}` : what).replace(/\s*\n\s*/g, ' ');
}

/** True for errors the user caused and can fix (exit code 2); anything else is a bug (exit 1). */
export function isUserError(e: unknown): e is ScenarioError {
  return e instanceof ScenarioError;
}

/** How a value found in a document is shown: `string "abc"`, `-5`, `object`, `null`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'object';
    default:
      return typeof value;
  }
}

function list(names: readonly string[]): string {
  return names.join(', ');
}

export const errors = {
  /** A file that cannot be read, or is too big to be a scenario. */
  unreadable(file: string, reason: string): ScenarioError {
    return new ScenarioError(file, '', 'a readable YAML file', reason);
  },
  /** YAML syntax (or resource-limit) errors, at a 1-based line and column when known. */
  invalidYaml(file: string | undefined, line: number | undefined, col: number | undefined, msg: string): ScenarioError {
    const at = line === undefined ? '' : col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    return new ScenarioError(file, at, 'valid YAML', msg);
  },
  /** A document count other than the one expected (`---` separated). */
  documentCount(file: string | undefined, expected: string, found: number): ScenarioError {
    return new ScenarioError(file, '', expected, `${found} documents`);
  },
  unknownField(file: string | undefined, path: string, name: string, allowed: readonly string[]): ScenarioError {
    return new ScenarioError(file, path, `one of the fields ${list(allowed)}`, `unknown field "${name}"`);
  },
  missingField(file: string | undefined, path: string, name: string): ScenarioError {
    return new ScenarioError(file, path ? `${path}.${name}` : name, `field "${name}" to be set`, 'nothing');
  },
  wrongType(file: string | undefined, path: string, expected: string, value: unknown): ScenarioError {
    return new ScenarioError(file, path, expected, describeValue(value));
  },
  outOfRange(file: string | undefined, path: string, expected: string, value: unknown): ScenarioError {
    return new ScenarioError(file, path, expected, describeValue(value));
  },
  /** A well-formed value that contradicts another part of the scenario. */
  invalidValue(file: string | undefined, path: string, expected: string, found: string): ScenarioError {
    return new ScenarioError(file, path, expected, found);
  },
  /** A name that should refer to something defined elsewhere in the scenario. */
  unknownReference(file: string | undefined, path: string, what: string, name: string, known: readonly string[]): ScenarioError {
    const expected = known.length ? `the name of a ${what} (${list(known)})` : `the name of a ${what}, but none is defined`;
    return new ScenarioError(file, path, expected, `"${name}"`);
  },
  duplicate(file: string | undefined, path: string, what: string, name: string): ScenarioError {
    return new ScenarioError(file, path, `a unique ${what}`, `"${name}" a second time`);
  },
  /** A --set / --seed / --duration argument that cannot be applied. */
  badOverride(argument: string, expected: string, found: string): ScenarioError {
    return new ScenarioError(undefined, argument, expected, found);
  },
};
