/** `kubesim validate SCENARIO`: load and check a scenario without running it. */
import type { Command } from 'commander';
import { formatDuration } from '../engine/core/duration.js';
import { loadScenarioFile } from '../engine/scenario/loader.js';
import { collect } from './options.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a scenario file (schema, manifests, references, kubectl timeline) without running it')
    .argument('<scenario>', 'scenario YAML file')
    .option('--set <path=value>', 'override a scenario field first, as `run --set` does (repeatable)', collect, [])
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim validate scenarios/book-lab.yaml
  $ kubesim validate my-scenario.yaml --set spec.duration=1h

Exit code 0 when valid; 2 with one line naming the file, the path inside it, what was expected
and what was found when not.`,
    )
    .action((file: string, flags: { set: string[] }) => {
      const { scenario } = loadScenarioFile(file, { overrides: flags.set });
      const pods = scenario.manifests.length;
      process.stdout.write(
        `${file}: valid scenario "${scenario.name}": ${scenario.cluster.nodes.length} nodes, ${pods} manifests, ` +
          `${scenario.load.length} loads, ${scenario.timeline.length} timeline actions, ${formatDuration(scenario.duration)} simulated\n`,
      );
    });
}
