/** `kubesim report OUT_DIR`: report.html from the files of an output folder (see reports/html/report.ts). */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeReport } from '../reports/html/report.js';
import { UsageError } from './errors.js';

export async function writeReportFor(outDir: string): Promise<void> {
  await writeReport(outDir);
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write report.html (charts with confidence bands, comparison, events) for an output folder')
    .argument('<out_dir>', 'a folder written by kubesim run, compare or merge')
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim compare scenarios/book-lab.yaml --vary spec.load[0].arrivals.rate=200,400 --runs 10 --out /tmp/cmp
  $ kubesim report /tmp/cmp            # then open /tmp/cmp/report.html

The page is self-contained (inline SVG, no script, no network access).`,
    )
    .action(async (outDir: string) => {
      if (!existsSync(outDir) || !statSync(outDir).isDirectory()) {
        throw new UsageError(`report: ${outDir}: expected an output folder of kubesim, found ${existsSync(outDir) ? 'a file' : 'nothing'}`);
      }
      if (!existsSync(join(outDir, 'summary.csv')) && !existsSync(join(outDir, 'timeseries.csv'))) {
        throw new UsageError(`report: ${outDir}: expected an output folder of kubesim (summary.csv, timeseries.csv), found neither`);
      }
      const file = await writeReport(outDir);
      process.stdout.write(`report: ${file}\n`);
    });
}
