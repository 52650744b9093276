import { describe, expect, test } from 'vitest';
import { readList, resolveCustomers } from '../../../src/core/customers.js';

const CUSTOMERS = [
  { id: 'aa11', name: 'Acme Dental' },
  { id: 'bb22', name: 'Northwind Retail' },
  { id: 'cc33', name: 'Contoso Labs' },
  { id: 'dd44', name: 'Contoso Labs' },
];
const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { exitCode: number; message: string; code: string };
  }
  throw new Error('expected a UsageError');
};

describe('resolveCustomers', () => {
  test('by id', () => expect(resolveCustomers(['bb22'], CUSTOMERS)).toEqual([CUSTOMERS[1]]));
  test('by id, case-insensitive', () =>
    expect(resolveCustomers(['AA11'], CUSTOMERS)).toEqual([CUSTOMERS[0]]));
  test('by exact name, case-insensitive, trimmed', () =>
    expect(resolveCustomers(['  acme DENTAL '], CUSTOMERS)).toEqual([CUSTOMERS[0]]));
  test('keeps the given order', () =>
    expect(resolveCustomers(['bb22', 'aa11'], CUSTOMERS).map((c) => c.id)).toEqual(['bb22', 'aa11']));
  test('dedupes the same customer by id and by name', () =>
    expect(resolveCustomers(['aa11', 'Acme Dental', 'AA11'], CUSTOMERS)).toEqual([CUSTOMERS[0]]));
  test('an ambiguous name lists its ids', () =>
    expect(usage(() => resolveCustomers(['contoso labs'], CUSTOMERS))).toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/'contoso labs' names 2 customers \(cc33, dd44\): use an id/),
    }));
  test('an ambiguous name is fine by id', () =>
    expect(resolveCustomers(['dd44'], CUSTOMERS)).toEqual([CUSTOMERS[3]]));
  test('unknown: named, with the nearest', () =>
    expect(usage(() => resolveCustomers(['Acme Dentl'], CUSTOMERS))).toMatchObject({
      exitCode: 2,
      code: 'unknown_customer',
      message: expect.stringMatching(/'Acme Dentl' is not a customer id or name \(nearest: "Acme Dental"/),
    }));
  test('a prefix is not a match, but a suggestion', () =>
    expect(usage(() => resolveCustomers(['Northwind'], CUSTOMERS)).message).toMatch(
      /nearest: "Northwind Retail"/,
    ));
  test('every problem at once', () =>
    expect(
      usage(() => resolveCustomers(['zzzz-unknown', 'aa11', 'Contoso Labs'], CUSTOMERS)).message,
    ).toMatch(/^Unknown or ambiguous customers: 'zzzz-unknown'.*; 'Contoso Labs' names 2/));
  test('blank references are skipped', () => expect(resolveCustomers(['', '  '], CUSTOMERS)).toEqual([]));
});

describe('readList', () => {
  test('one per line, # comments, blanks, CRLF; the lines a comment was cut from, as written', () =>
    expect(
      readList('# header\r\naa11\r\n\r\n  Acme Dental   # the dentist\nbb22#not-a-comment\n   \nAcme #2\n'),
    ).toEqual({
      references: ['aa11', 'Acme Dental', 'bb22#not-a-comment', 'Acme'],
      commented: ['Acme Dental   # the dentist', 'Acme #2'],
    }));
  test('empty', () => expect(readList('')).toEqual({ references: [], commented: [] }));
});

describe('resolveCustomers: commas and Unicode forms (issue 10, bug 7)', () => {
  const WITH_COMMA = [...CUSTOMERS, { id: 'ee55', name: 'Comma, Inc.' }, { id: 'ff66', name: 'Café Zürich' }];
  test('a whole value that is an exact name wins over splitting', () =>
    expect(resolveCustomers(['Comma, Inc.'], WITH_COMMA)).toEqual([WITH_COMMA[4]]));
  test('otherwise a value is a comma list of ids and names', () =>
    expect(resolveCustomers(['aa11, Northwind Retail,,'], WITH_COMMA).map((c) => c.id)).toEqual([
      'aa11',
      'bb22',
    ]));
  test('an unknown comma value is reported as typed, with the near name', () =>
    expect(usage(() => resolveCustomers(['Comma, Inc'], WITH_COMMA)).message).toContain(
      `'Comma, Inc' is not a customer id or name (nearest: "Comma, Inc."`,
    ));
  test('a list with one unknown part names that part only', () =>
    expect(usage(() => resolveCustomers(['aa11,zz99'], WITH_COMMA)).message).toMatch(
      /^Unknown or ambiguous customer: 'zz99' is not/,
    ));
  test('NFD and NFC spellings of a name match', () => {
    expect(resolveCustomers(['Café Zürich'.normalize('NFD')], WITH_COMMA)).toEqual([WITH_COMMA[5]]);
    const decomposed = [{ id: 'gg77', name: 'Müller AG'.normalize('NFD') }];
    expect(resolveCustomers(['müller ag'], decomposed)).toEqual(decomposed);
  });
});
