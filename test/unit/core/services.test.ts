import { describe, expect, test } from 'vitest';
import { isCentralService, matchServices, normalizeServiceName } from '../../../src/core/services.js';

const KNOWN = [
  'foundation_ap',
  'advanced_ap',
  'foundation_70xx',
  'advance_70xx',
  'foundation_switch_6300',
  'dm',
  'storage_alletra_6k',
  'k8s_ezmeral',
  'zerto_dr',
  'compute_vm_cloud',
];
const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { exitCode: number; message: string; code: string };
  }
  throw new Error('expected a UsageError');
};

describe('matchServices', () => {
  test('exact name', () => expect(matchServices(['foundation_ap'], KNOWN)).toEqual(['foundation_ap']));
  test('case-insensitive, as the API spells it', () =>
    expect(matchServices(['foundation_70XX'], KNOWN)).toEqual(['foundation_70xx']));
  test('- and _ are the same', () =>
    expect(matchServices(['Foundation-Switch-6300'], KNOWN)).toEqual(['foundation_switch_6300']));
  test('trims, skips blanks, dedupes, keeps order', () =>
    expect(matchServices([' advanced_ap ', '', 'FOUNDATION_AP', 'advanced-ap'], KNOWN)).toEqual([
      'advanced_ap',
      'foundation_ap',
    ]));
  test('unknown: exit 2 with the nearest name', () =>
    expect(usage(() => matchServices(['foundation_apx'], KNOWN))).toMatchObject({
      exitCode: 2,
      code: 'unknown_service',
      message: expect.stringMatching(/'foundation_apx' \(did you mean foundation_ap\b/),
    }));
  test('every unknown name is reported at once', () =>
    expect(usage(() => matchServices(['foundation_apx', 'advanced_apx'], KNOWN)).message).toMatch(
      /^Unknown services: 'foundation_apx'.*; 'advanced_apx'/,
    ));
  test('GreenLake names are never suggested', () =>
    expect(usage(() => matchServices(['storage_alletra'], KNOWN)).message).not.toMatch(/storage_alletra_6k/));
  test('no suggestion when nothing is close', () =>
    expect(usage(() => matchServices(['qqqqqqqqqqqq'], KNOWN)).message).toBe(
      "Unknown service: 'qqqqqqqqqqqq'.",
    ));
  test('nothing given', () => expect(usage(() => matchServices([' ', ''], KNOWN)).exitCode).toBe(2));
  test('a GreenLake name is still accepted when asked for exactly', () =>
    expect(matchServices(['zerto_dr'], KNOWN)).toEqual(['zerto_dr']));
});

describe('isCentralService / normalizeServiceName', () => {
  test.each(['foundation_ap', 'advance_90xx_sec', 'vgw_500m', 'dm', 'ucc'])('%s is Central', (name) =>
    expect(isCentralService(name)).toBe(true),
  );
  test.each([
    'storage_alletra_6k',
    'k8s_ezmeral',
    'zerto_dr',
    'hciaas_baas',
    'proliant_compute',
    'compute_vm_cloud',
  ])('%s is not', (name) => expect(isCentralService(name)).toBe(false));
  test('normalize', () => expect(normalizeServiceName(' Foundation-70XX ')).toBe('foundation_70xx'));
});
