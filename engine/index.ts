/**
 * kubesim's library API: load a scenario, run it with an observer, read the defaults.
 * Everything here is free of I/O except the scenario loader, which reads the files a scenario
 * names.
 */
export { runScenario, ScenarioRun, InvariantError, type RunOptions, type RunResult } from './run.js';
export type { Observer, ClusterEvent } from './metrics/observer.js';
export { NULL_OBSERVER } from './metrics/observer.js';
export { DEFAULTS, type Defaults } from './scenario/defaults.js';
export type { Scenario } from './scenario/types.js';
export { Simulation } from './core/simulation.js';
export { loadScenarioFile, loadScenarioText, type LoadOptions, type LoadedScenario } from './scenario/loader.js';
export { ScenarioError, isUserError } from './scenario/errors.js';
