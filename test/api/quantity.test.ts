import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isQuantity, parseBytes, parseCpuMilli, parseQuantity } from '../../engine/api/quantity.js';

// Cases transcribed from k8s.io/apimachinery/pkg/api/resource/quantity_test.go (TestQuantityParse).
const UPSTREAM_VALID: [string, number][] = [
  ['0', 0],
  ['0n', 0],
  ['0u', 0],
  ['0m', 0],
  ['0Ki', 0],
  ['0k', 0],
  ['0Mi', 0],
  ['0M', 0],
  ['0Gi', 0],
  ['0G', 0],
  ['0Ti', 0],
  ['0T', 0],
  // Binary suffixes
  ['1Ki', 1024],
  ['8Ki', 8 * 1024],
  ['7Mi', 7 * 2 ** 20],
  ['6Gi', 6 * 2 ** 30],
  ['5Ti', 5 * 2 ** 40],
  ['4Pi', 4 * 2 ** 50],
  ['3Ei', 3 * 2 ** 60],
  ['10Ti', 10 * 2 ** 40],
  ['100Ti', 100 * 2 ** 40],
  // Decimal suffixes
  ['5n', 5e-9],
  ['4u', 4e-6],
  ['3m', 3e-3],
  ['9', 9],
  ['8k', 8e3],
  ['50k', 50e3],
  ['7M', 7e6],
  ['6G', 6e9],
  ['5T', 5e12],
  ['40T', 40e12],
  ['300T', 300e12],
  ['2P', 2e15],
  ['1E', 1e18],
  // Decimal exponents
  ['1E-3', 1e-3],
  ['1e3', 1e3],
  ['1E6', 1e6],
  ['1e9', 1e9],
  ['1E12', 1e12],
  ['1e15', 1e15],
  ['1E18', 1e18],
  // Nonstandard but still parsable
  ['1e14', 1e14],
  ['1e13', 1e13],
  ['1e3', 1e3],
  ['100.035k', 100035],
  // Things that look like floating point
  ['0.001', 0.001],
  ['0.0005k', 0.5],
  ['0.005', 0.005],
  ['0.05', 0.05],
  ['0.5', 0.5],
  ['0.00050k', 0.5],
  ['0.00500', 0.005],
  ['0.05000', 0.05],
  ['0.50000', 0.5],
  ['0.5e0', 0.5],
  ['0.5e-1', 0.05],
  ['0.5e-2', 0.005],
  ['0.5e-3', 0.0005],
  ['10.035M', 10035000],
  ['1.2e3', 1200],
  ['1.3E+6', 1.3e6],
  ['1.40e9', 1.4e9],
  ['1.53E12', 1.53e12],
  ['1.6e15', 1.6e15],
  ['1.7E18', 1.7e18],
  ['9.01', 9.01],
  ['8.1k', 8100],
  ['7.123456M', 7123456],
  ['6.987654321G', 6987654321],
  ['5.444T', 5.444e12],
  ['40.1T', 40.1e12],
  ['300.2T', 300.2e12],
  ['2.5P', 2.5e15],
  ['1.01E', 1.01e18],
  // Things that saturate/round
  ['3.001n', 3.001e-9],
  ['1.1E-9', 1.1e-9],
  ['0.0000000001', 1e-10],
  ['0.0000000005', 5e-10],
  ['0.00000000050', 5e-10],
  ['0.5e-9', 5e-10],
  ['0.9n', 0.9e-9],
  ['0.00000012345', 1.2345e-7],
  ['0.00000012354', 1.2354e-7],
  ['9Ei', 9 * 2 ** 60],
  ['9223372036854775807Ki', 9223372036854775807 * 1024],
  ['12E', 12e18],
  // We'll accept fractional binary stuff, too.
  ['100.035Ki', 102435.84],
  ['0.5Mi', 0.5 * 2 ** 20],
  ['0.05Gi', 0.05 * 2 ** 30],
  ['0.025Ti', 0.025 * 2 ** 40],
  // Things written by trolls
  ['0.000000000001Ki', 1.024e-9],
  ['.001', 0.001],
  ['.0001k', 0.1],
  ['1.', 1],
  ['1.G', 1e9],
  // Signs
  ['-1', -1],
  ['+1', 1],
  ['-5m', -0.005],
];

// quantity_test.go invalid cases (TestQuantityParseZero / invalid table).
const UPSTREAM_INVALID = ['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', '', '1e', 'Ki', '.', '+'];

test('parseQuantity matches upstream quantity_test.go values', () => {
  for (const [text, value] of UPSTREAM_VALID) {
    const got = parseQuantity(text);
    assert.ok(got === value || Math.abs(got - value) <= Math.abs(value) * 1e-15, `${text}: ${got} != ${value}`);
  }
});

test('parseQuantity rejects what quantity.go rejects, naming the expected form', () => {
  for (const bad of UPSTREAM_INVALID) {
    assert.throws(() => parseQuantity(bad), (e: unknown) => e instanceof RangeError && /Kubernetes quantity/.test(e.message), JSON.stringify(bad));
    assert.equal(isQuantity(bad), false);
  }
});

test('parseCpuMilli rounds up like Quantity.MilliValue', () => {
  assert.equal(parseCpuMilli('0.0001'), 1);
  assert.equal(parseCpuMilli('100m'), 100);
  assert.equal(parseCpuMilli('2'), 2000);
  assert.equal(parseCpuMilli(2), 2000);
  assert.equal(parseCpuMilli('1.5'), 1500);
  assert.equal(parseCpuMilli(0.25), 250);
  assert.equal(parseCpuMilli('1001u'), 2);
  assert.equal(parseCpuMilli('0'), 0);
  assert.throws(() => parseCpuMilli('-1'), RangeError);
});

test('parseBytes gives integer bytes, rounding up like Quantity.Value', () => {
  assert.equal(parseBytes('1Gi'), 1073741824);
  assert.equal(parseBytes('1G'), 1e9);
  assert.equal(parseBytes('128974848'), 128974848);
  assert.equal(parseBytes('129e6'), 129e6);
  assert.equal(parseBytes('123Mi'), 123 * 2 ** 20);
  assert.equal(parseBytes('129M'), 129e6);
  assert.equal(parseBytes('1.5'), 2);
  assert.equal(parseBytes('100m'), 1);
  assert.throws(() => parseBytes('1Zi'), RangeError);
  assert.throws(() => parseBytes('-1Ki'), RangeError);
});

test('huge exponents are refused rather than computed', () => {
  assert.throws(() => parseBytes('1e999999999'), RangeError);
});

test('every whole number of millicores survives the round trip through "<n>m"', () => {
  fc.assert(fc.property(fc.nat({ max: 2 ** 40 }), (milli) => parseCpuMilli(`${milli}m`) === milli));
});

test('binary suffixes are exact powers of two', () => {
  const suffixes = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  fc.assert(
    fc.property(fc.nat({ max: 1023 }), fc.integer({ min: 0, max: 5 }), (n, i) => parseBytes(`${n}${suffixes[i]}`) === n * 2 ** (10 * (i + 1))),
  );
});
