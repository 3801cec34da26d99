/** What the loader reports at `spec.timeline[i].run`: expected / found, as in ScenarioError. */
export class KubectlSyntaxError extends Error {
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected}, found ${found}`);
    this.name = 'KubectlSyntaxError';
  }
}
