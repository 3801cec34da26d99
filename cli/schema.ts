/** `kubesim schema`: the JSON Schema of scenario files, for editors (yaml-language-server). */
import type { Command } from 'commander';
import { scenarioJsonSchema } from '../engine/scenario/scenario-schema.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim schema > scenario.schema.json
  # then, first line of a scenario file, for editors with yaml-language-server:
  # yaml-language-server: $schema=./scenario.schema.json`,
    )
    .action(() => {
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });
}
