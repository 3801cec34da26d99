/**
 * The piscina worker: one task = one seeded run (see task.ts). Loaded by the pool as compiled
 * JS through `new URL('./worker.js', import.meta.url)`.
 */
import { runTask, type RunTask, type TaskResult } from './task.js';

export default function worker(task: RunTask): Promise<TaskResult> {
  return runTask(task);
}
