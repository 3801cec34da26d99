#!/usr/bin/env node
/**
 * The kubesim command line. Each subcommand lives in its own file; this one wires them and
 * turns errors into exit codes (cli/errors.ts).
 */
import { Command, CommanderError } from 'commander';
import { registerBench } from './bench.js';
import { EXIT_OK, EXIT_USAGE, reportError } from './errors.js';
import { packageVersion } from './paths.js';
import { registerRun } from './run.js';
import { registerCompare } from './compare.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerHpa } from './hpa.js';
import { registerSchedule } from './schedule.js';
import { registerSchema } from './schema.js';
import { registerValidate } from './validate.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('kubesim')
    .description('Deterministic discrete-event simulator of Kubernetes clusters and the traffic through them')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      // One line, like every other user error: "kubesim: error: unknown option '--x' (see --help)".
      outputError: (text, write) => write(`kubesim: ${text.trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim run                          # the built-in book-lab scenario
  $ kubesim run my-scenario.yaml --seed 3 --out results/
  $ kubesim validate my-scenario.yaml`,
    );
  registerRun(program);
  registerCompare(program);
  registerMerge(program);
  registerReport(program);
  registerValidate(program);
  registerSchema(program);
  registerSchedule(program);
  registerHpa(program);
  registerBench(program);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    // A command that ends otherwise than with success (an interrupted run) sets process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; anything else commander rejects is a usage error,
      // already printed by commander on one line.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    return reportError(error);
  }
}

// `kubesim ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
  throw error;
});

process.exitCode = await main(process.argv);
