/** A comparison folder (2 variants x 3 runs of the test scenario) with its report, shared by the report tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planTasks } from '../../engine/parallel/plan.js';
import { runSweep } from '../../engine/parallel/sweep.js';
import { writeReport } from '../../reports/html/report.js';
import { writeDerivedOutputs } from '../../reports/sweep-outputs.js';
import { testScenario } from '../helpers/scenario.js';

export const VARIANTS = ['rate=30', 'rate=90'];

export async function comparisonWithReport(): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-report-'));
  const scenarios = [30, 90].map((rate) => testScenario({ duration: '40s', rate }));
  await runSweep({ scenarios, tasks: planTasks(VARIANTS.map((name) => ({ name })), 3, 1), outDir: dir, workers: 2 });
  await writeDerivedOutputs(dir);
  return { dir, file: await writeReport(dir) };
}
