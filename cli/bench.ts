/** `kubesim bench`: the benchmark suites of bench/, as a table or JSON. */
import type { Command } from 'commander';
import { runBenchmarks } from '../bench/index.js';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks (event engine hold model vs a bare heap and simjs, ...)')
    .option('--json', 'print {"results":[...]} as JSON on stdout')
    .option('--filter <text>', 'only benchmarks whose name contains this text, e.g. hold/engine')
    .option('--quick', 'shorter measurements (for a smoke test; numbers are noisier)')
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim bench
  $ kubesim bench --json --filter hold/`,
    )
    .action(async (flags: { json?: boolean; filter?: string; quick?: boolean }) => {
      const onProgress = (line: string) => {
        if (process.stderr.isTTY || !flags.json) process.stderr.write(`${line}\n`);
      };
      const report = await runBenchmarks({ json: flags.json, filter: flags.filter, quick: flags.quick, onProgress });
      if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else for (const r of report.results) process.stdout.write(`${JSON.stringify(r)}\n`);
    });
}
