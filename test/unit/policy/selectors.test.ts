import { describe, expect, it } from 'vitest';
import { globRegExp, resolveReferences, splitReferences } from '../../../src/core/selectors.js';

const customers = [
  { id: 'c1', name: 'Acme Dental', group: 'Gold' },
  { id: 'c2', name: 'Acme Labs', group: 'Silver' },
  { id: 'c3', name: 'Beta Clinics', group: 'gold' },
  { id: 'c4', name: 'group:odd', group: 'Trial' },
  { id: 'c5', name: 'Comma, Inc.' },
];
const ids = (refs: string[]) => resolveReferences(refs, customers).customers.map((c) => c.id);

describe('customer selectors', () => {
  it('group:NAME matches the group case-insensitively', () =>
    expect(ids(['group:GOLD'])).toEqual(['c1', 'c3']));
  it('name:GLOB matches whole names', () => expect(ids(['name:acme*'])).toEqual(['c1', 'c2']));
  it('? is one character', () => expect(ids(['name:Acme La?s'])).toEqual(['c2']));
  it('mixes selectors, ids and names in one comma list, duplicates collapsed', () =>
    expect(ids(['group:Gold,c2,Acme Dental'])).toEqual(['c1', 'c3', 'c2']));
  it('an exact name wins over a selector reading', () => expect(ids(['group:odd'])).toEqual(['c4']));
  it('a plain comma list is left to the name resolver', () => expect(ids(['Comma, Inc.'])).toEqual(['c5']));
  it('reports what each selector matched', () =>
    expect(resolveReferences(['group:gold', 'name:*Labs'], customers).selectors).toEqual([
      { selector: 'group:gold', matched: 2 },
      { selector: 'name:*Labs', matched: 1 },
    ]));
  it('an empty match is a usage error naming the nearest group', () => {
    expect(() => ids(['group:Golden'])).toThrow(
      /group:Golden' matches no customer \(nearest groups: .*"Gold"/,
    );
    expect(() => ids(['name:Zeta*'])).toThrow(/matches no customer/);
  });
  it('an empty selector value is refused', () => expect(() => ids(['group:'])).toThrow(/names nothing/));
  it('glob characters of regular expressions are literal', () =>
    expect(globRegExp('a.b').test('axb')).toBe(false));
  it('splitReferences keeps exact values whole', () =>
    expect(splitReferences(['x,group:A', 'y'], (r) => r === 'y')).toEqual({
      selectors: ['group:A'],
      plain: ['x', 'y'],
    }));
});
