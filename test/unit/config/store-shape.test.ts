// The config file is read without zod at start-up (a light check in store.ts): it must accept
// exactly what the zod schemas accept and give the same data, key order included (the order the
// file is written back in). Checked against the schemas themselves on hand-picked and generated
// files.
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { parseFile, parseProfile } from '../../../src/config/store.js';

const optionalString = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);
const ProfileSchema = z.looseObject({
  baseUrl: z.string().min(1),
  clientId: z.string().min(1),
  cluster: optionalString,
  clientSecret: optionalString,
  accessToken: optionalString,
  accessTokenExpiresAt: optionalString,
  refreshToken: optionalString,
  refreshTokenIssuedAt: optionalString,
  createdAt: optionalString,
  updatedAt: optionalString,
});
const FileSchema = z.looseObject({
  version: z.number().int().positive().optional(),
  defaultProfile: optionalString,
  profiles: z.record(z.string(), z.unknown()).optional(),
});

/** Same verdict, same data, same keys in the same order (undefined values included). */
function same(light: { success: boolean; data?: unknown }, zod: { success: boolean; data?: unknown }) {
  expect(light.success).toBe(zod.success);
  if (!zod.success) return;
  const entries = (value: unknown) => Object.entries(value as object);
  expect(entries(light.data)).toEqual(entries(zod.data));
}

const values: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'https://example.com',
  0,
  1,
  -1,
  1.5,
  2 ** 53,
  true,
  [],
  ['a'],
  {},
  { a: 1 },
];

describe('the light config check agrees with the zod schemas', () => {
  test('file level: every value in every known key, and unknown keys', () => {
    for (const key of ['version', 'defaultProfile', 'profiles', 'other']) {
      for (const value of values) {
        const raw = value === undefined ? { other: 1 } : { other: 1, [key]: value, after: 'x' };
        same(parseFile(raw), FileSchema.safeParse(raw));
      }
    }
    for (const raw of [null, [], 'x', 1, { profiles: { p: { baseUrl: 'u' } } }])
      same(parseFile(raw), FileSchema.safeParse(raw));
  });

  test('profile level: every value in every known key, extra keys kept after the known ones', () => {
    const base = { extra: 1, clientId: 'id', baseUrl: 'https://u', createdAt: '2026-01-01T00:00:00Z' };
    for (const key of Object.keys(ProfileSchema.shape)) {
      for (const value of values) {
        const raw: Record<string, unknown> = { ...base };
        if (value === undefined) delete raw[key];
        else raw[key] = value;
        same(parseProfile(raw), ProfileSchema.safeParse(raw));
      }
    }
    for (const raw of [null, [], 'x', 1, {}]) same(parseProfile(raw), ProfileSchema.safeParse(raw));
  });

  test('2,000 generated profiles and files', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const pick = <T>(list: readonly T[]): T => list[next() % list.length] as T;
    const keys = [...Object.keys(ProfileSchema.shape), 'zz', 'aa'];
    for (let i = 0; i < 2000; i++) {
      const raw: Record<string, unknown> = {};
      for (let k = 0; k < keys.length; k++)
        if (next() % 3) raw[pick(keys)] = pick(values.concat(['s', 's', 's']));
      same(parseProfile(raw), ProfileSchema.safeParse(raw));
      const file: Record<string, unknown> = {};
      for (const key of ['version', 'defaultProfile', 'profiles', 'x'])
        if (next() % 2) file[key] = pick(values.concat([1, 2, { p: raw }]));
      same(parseFile(file), FileSchema.safeParse(file));
    }
  });
});
