/**
 * run.json: what produced a run folder. The only output allowed to hold wall-clock facts
 * (start time, wall seconds); every CSV is a pure function of scenario and seed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunMetadata {
  kubesimVersion: string;
  scenario: { name: string; file: string; sha256: string; files: string[] };
  seeds: number[];
  arguments: string[];
  overrides: string[];
  defaults: unknown;
  startedAt: string;
  wallSeconds: number;
  events: number;
  node: string;
}

export function writeRunMetadata(dir: string, meta: RunMetadata): void {
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(meta, null, 2)}\n`);
}
