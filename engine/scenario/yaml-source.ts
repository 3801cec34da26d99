/**
 * Reading YAML input safely: a size cap, duplicate keys refused (as the apiserver's strict
 * decoding does), and an alias-expansion cap so a "billion laughs" document is refused instead
 * of exhausting memory. Errors become ScenarioErrors with a file, a line and a column.
 *
 * This and loader.ts are the only files under engine/ that touch the file system.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments, YAMLError } from 'yaml';
import { errors } from './errors.js';

/** Scenario and manifest files above this size are refused: no sane scenario is that big. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Aliases a document may expand; enough for YAML's legitimate reuse, far from a bomb. */
export const MAX_ALIAS_COUNT = 100;

export function readFileBytes(path: string, display: string): Buffer {
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) throw errors.unreadable(display, `${size} bytes, over the ${MAX_FILE_BYTES}-byte limit`);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof Error && 'code' in e) throw errors.unreadable(display, describeFsError(e as NodeJS.ErrnoException));
    throw e;
  }
}

function describeFsError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'a directory';
    default:
      return e.code ?? e.message;
  }
}

function yamlError(file: string | undefined, e: YAMLError): never {
  const pos = e.linePos?.[0];
  // prettyErrors appends " at line L, column C:" and a code frame; keep the first sentence.
  const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  throw errors.invalidYaml(file, pos?.line, pos?.col, message);
}

/** Every document of a YAML stream as plain data (`---` separates documents). */
export function parseYamlDocuments(text: string, file: string | undefined): unknown[] {
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    throw errors.unreadable(file ?? '<text>', `more than ${MAX_FILE_BYTES} bytes`);
  }
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  const values: unknown[] = [];
  for (const doc of docs) {
    const [first] = doc.errors;
    if (first) yamlError(file, first);
    try {
      values.push(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    } catch (e) {
      if (e instanceof ReferenceError && /alias/i.test(e.message)) {
        throw errors.invalidYaml(file, undefined, undefined, `more than ${MAX_ALIAS_COUNT} alias expansions (refused as a possible alias bomb)`);
      }
      if (e instanceof YAMLError) yamlError(file, e);
      throw e;
    }
  }
  return values;
}
