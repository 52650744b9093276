// The built zod chunk (dist/chunks/zod.cjs, scripts/build.mjs) leaves out zod's locales but
// English (issue 13): every message it writes is the one zod itself writes, in English, for the
// kinds of checks src/central/schemas.ts and src/policy/ use.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { z as zod } from 'zod';
import { ROOT } from '../helpers/cli.js';

const chunk = createRequire(import.meta.url)(join(ROOT, 'dist', 'chunks', 'zod.cjs')) as typeof import('zod');

/** A schema and the values it is given, built with one copy of zod or the other. */
const cases: [string, (z: typeof zod) => zod.ZodType, unknown[]][] = [
  ['string().min(1)', (z) => z.string().min(1), ['', 5, undefined, null]],
  ['number()', (z) => z.number(), ['x', Number.NaN, {}, []]],
  ['object({}).loose()', (z) => z.object({ a: z.string() }).loose(), [[], 'x', { a: 1 }, {}]],
  ['strictObject', (z) => z.strictObject({ a: z.string() }), [{ a: 'x', b: 1 }]],
  ['array(string())', (z) => z.array(z.string()), [{}, [1], 'x']],
  ['union', (z) => z.union([z.string(), z.number()]), [true, null, {}]],
  ['enum', (z) => z.enum(['a', 'b']), ['c', 1]],
  ['int().positive()', (z) => z.number().int().positive(), [1.5, -1, 0]],
  ['literal', (z) => z.literal(1), [2, '1']],
  ['record', (z) => z.record(z.string(), z.number()), [{ a: 'x' }, []]],
  ['string().regex()', (z) => z.string().regex(/^a/), ['b']],
  ['boolean()', (z) => z.boolean(), ['true']],
];

const messages = (z: typeof zod, build: (z: typeof zod) => zod.ZodType, values: unknown[]) =>
  values.map((value) => {
    const result = build(z).safeParse(value);
    return result.success ? { ok: result.data } : result.error.issues.map((i) => [i.path, i.message]);
  });

describe('dist/chunks/zod.cjs', () => {
  test('has the English locale only', () => {
    expect(Object.keys(chunk.z.locales)).toEqual(['en']);
  });

  test.each(cases)('%s: the same messages as zod itself', (_label, build, values) => {
    const ours = messages(chunk.z, build, values);
    expect(ours).toEqual(messages(zod, build, values));
    // Some value of each case fails, so that a message is compared.
    expect(ours.some((o) => Array.isArray(o))).toBe(true);
  });
});
