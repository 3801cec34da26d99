/**
 * Files of the repository from a compiled test, wherever it was compiled to (dist/test/** or a
 * private --outDir): the nearest kubesim package.json above this file, else above the working
 * directory (tests are run from the repository root).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kubesim') return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

const root = findRoot(dirname(fileURLToPath(import.meta.url))) ?? findRoot(process.cwd());

/** Absolute path of `relative` (e.g. 'scenarios/book-lab.yaml') in the repository. */
export function repoPath(relative: string): string {
  if (!root) throw new Error('cannot find the kubesim repository root (run tests from inside it)');
  return resolve(root, relative);
}
