/** What montecarlo/8runs runs: 8 replications of the default scenario (shared by the bench and its child processes). */
import { fileURLToPath } from 'node:url';

export const MONTECARLO_RUNS = 8;
export const MONTECARLO_SCENARIO = fileURLToPath(new URL('../../scenarios/book-lab.yaml', import.meta.url));
