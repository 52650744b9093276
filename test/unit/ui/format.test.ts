import { describe, expect, it } from 'vitest';
import { type Column, count, plural, table } from '../../../src/ui/format.js';

describe('count', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [-2500, '-2,500'],
  ])('%d → %s', (n, want) => expect(count(n)).toBe(want));
});

describe('plural', () => {
  it.each([
    [0, 'customer', undefined, '0 customers'],
    [1, 'customer', undefined, '1 customer'],
    [2, 'customer', undefined, '2 customers'],
    [1234, 'customer call', undefined, '1,234 customer calls'],
    [1, 'match', 'matches', '1 match'],
    [3, 'match', 'matches', '3 matches'],
  ])('%d %s → %s', (n, noun, nouns, want) => expect(plural(n, noun, nouns)).toBe(want));
});

const L: Column = {};
const R: Column = { align: 'right' };
describe('table', () => {
  // biome-ignore format: one line per case
  it.each<[string, string[][], Column[], string[]]>([
    ['no header: columns as wide as their widest cell', [['a', 'bb'], ['ccc', 'd']], [L, L], ['a    bb', 'ccc  d']],
    ['the header counts; a left last cell is not padded', [['x', 'y']], [{ header: 'NAME' }, { header: 'TYPE' }], ['NAME  TYPE', 'x     y']],
    ['right-aligned numbers are padded on the left', [['a', '1'], ['b', '1,000']], [L, R], ['a      1', 'b  1,000']],
    ['a right-aligned last cell is always padded', [['a', '7']], [L, { header: 'DEVICES', align: 'right' }], ['   DEVICES', 'a        7']],
    ['min widens a column', [['a', 'b']], [{ min: 5 }, L], ['a      b']],
    ['max cuts a cell with …', [['abcdefgh', 'z']], [{ max: 5 }, L], ['abcd…  z']],
    ['wide characters take two columns', [['東京', 'x'], ['ab', 'y']], [L, L], ['東京  x', 'ab    y']],
    ['our colours take no column', [['\u001b[32m✓\u001b[39m', 'x'], ['!!', 'y']], [L, L], ['\u001b[32m✓\u001b[39m   x', '!!  y']],
    ['a short row ends at its last cell', [['a', 'b', 'c'], ['dd']], [L, L, L], ['a   b  c', 'dd']],
    ['headers stop at the last column that has one', [['a', '1', 'extra']], [{ header: 'S' }, { header: 'N', align: 'right' }, L], ['S  N', 'a  1  extra']],
    ['an empty table with headers is its header line', [], [{ header: 'A', min: 3 }, { header: 'B' }], ['A    B']],
  ])('%s', (_name, rows, columns, want) => expect(table(rows, columns)).toEqual(want));

  it('a custom gap', () => expect(table([['a', 'b']], [{ min: 3 }, L], ' ')).toEqual(['a   b']));
});

describe('count without ICU', () => {
  it('reads exactly as toLocaleString("en-US") for whole numbers and the rest', () => {
    const samples = [
      0,
      -0,
      1,
      -1,
      999,
      1000,
      -1000,
      12345,
      1234567,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
      2 ** 53,
      1.5,
      NaN,
    ];
    let n = 1;
    for (let i = 0; i < 60; i++) {
      n = n * 7 + i;
      samples.push(n % 1e15, -(n % 1e12), Math.floor(n / 3) % 1e6);
    }
    for (const value of samples) expect(count(value)).toBe(value.toLocaleString('en-US'));
  });
});
