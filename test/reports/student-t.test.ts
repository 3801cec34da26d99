/**
 * Student t quantiles and tail probabilities against independent values:
 *  - closed forms: nu = 1 is the Cauchy distribution, t_p = tan(pi (p - 1/2)); nu = 2 has
 *    t_p = (2p - 1) / sqrt(2 p (1 - p)) (Johnson, Kotz & Balakrishnan, Continuous Univariate
 *    Distributions vol. 2, ch. 28);
 *  - R 4.x, qt() and pt(), printed with 7 significant digits (the classic table of
 *    Fisher & Yates agrees to its 3 decimals);
 *  - the limit nu -> infinity, the standard normal quantile 1.959964 (R qnorm(0.975)).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { regularizedBeta, studentTCdf, studentTQuantile, studentTTwoSidedP } from '../../reports/stats/student-t.js';

function close(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

test('closed forms for 1 and 2 degrees of freedom, to 10 digits', () => {
  for (const p of [0.6, 0.9, 0.95, 0.975, 0.995, 0.9995]) {
    close(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-10, `nu=1 p=${p}`);
    close(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-10, `nu=2 p=${p}`);
  }
});

test("R's qt() to 7 significant digits", () => {
  const R: [number, number, number][] = [
    // [p, df, qt(p, df)]
    [0.975, 3, 3.182446],
    [0.975, 4, 2.776445],
    [0.975, 5, 2.570582],
    [0.975, 9, 2.262157],
    [0.975, 10, 2.228139],
    [0.975, 19, 2.093024],
    [0.975, 29, 2.04523],
    [0.975, 30, 2.042272],
    [0.975, 100, 1.983972],
    [0.975, 1000, 1.962339],
    [0.95, 20, 1.724718],
    [0.995, 5, 4.032143],
    [0.999, 3, 10.21453],
  ];
  for (const [p, df, q] of R) close(studentTQuantile(p, df), q, 5e-7, `qt(${p}, ${df})`);
  close(studentTQuantile(0.975, 1e9), 1.959964, 5e-7, 'normal limit');
});

test('lower quantiles by symmetry, and the edges', () => {
  close(studentTQuantile(0.025, 9), -2.262157, 5e-7, 'qt(0.025, 9)');
  assert.equal(studentTQuantile(0.5, 7), 0);
  assert.equal(studentTQuantile(1, 7), Infinity);
  assert.equal(studentTQuantile(0, 7), -Infinity);
  assert.ok(Number.isNaN(studentTQuantile(0.9, 0)));
  assert.ok(Number.isNaN(studentTQuantile(1.5, 3)));
});

test("R's pt() and two-sided p-values", () => {
  close(studentTCdf(2, 5), 0.9490303, 1e-6, 'pt(2, 5)');
  close(studentTCdf(-1, 10), 0.1704466, 1e-6, 'pt(-1, 10)');
  // 2 * pt(-4.062128, 9): the p-value of R's paired t-test on the sleep data.
  close(studentTTwoSidedP(-4.062128, 9), 0.002832890, 1e-5, 'p of t = -4.06 on 9 df');
});

test('the quantile inverts the CDF (property)', () => {
  fc.assert(
    fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 500 }), (p, df) => {
      close(studentTCdf(studentTQuantile(p, df), df), p, 1e-9, `p=${p} df=${df}`);
    }),
  );
});

test('the incomplete beta matches closed forms: I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b', () => {
  for (const x of [0.1, 0.5, 0.9]) {
    for (const a of [0.5, 2, 7.5]) {
      close(regularizedBeta(x, a, 1), x ** a, 1e-12, `I_${x}(${a}, 1)`);
      close(regularizedBeta(x, 1, a), 1 - (1 - x) ** a, 1e-12, `I_${x}(1, ${a})`);
    }
  }
});
