// history in-process: jobs run by the real commands (argv through the commander tree, no
// process) against the sandbox on 127.0.0.1, then the log listed, filtered and shown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoSecret, expectTypedHistory, secretsOf } from '../../helpers/e2e.js';
import { type CommandResult, closeWorlds, type InWorld, inWorld, loggedIn } from '../../helpers/inprocess.js';
import { control } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

interface HistoryEntry {
  profile: string | null;
  verb: string;
  outcome: string;
  counts?: { done: number; needed: number | null };
  error?: string;
}

const parse = (result: CommandResult) => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};
const historyOf = async (w: InWorld, args: string[] = []): Promise<HistoryEntry[]> =>
  parse(await w.cli(['history', '--json', ...args])).entries;

describe('history', () => {
  test('assign, unassign and another profile are logged; a dry run is not; filters', async () => {
    const w = await inWorld();
    const minted = await control(w.sandbox, 'tokens');
    loggedIn(w.sandbox, w.dir, 'other', {
      accessToken: minted.access_token,
      refreshToken: minted.refresh_token,
    });
    const [a, b] = w.ids as [string, string];
    expect((await w.cli(['-p', 'sandbox', 'assign', '-s', 'foundation_ap', '--include', a])).code).toBe(0);
    expect(
      (await w.cli(['-p', 'sandbox', 'assign', '-s', 'foundation_ap', '--include', b, '--dry-run'])).code,
    ).toBe(0);
    expect(
      (
        await w.cli([
          '-p',
          'other',
          'assign',
          '-s',
          'foundation_ap',
          '--exclude',
          a,
          '--wait',
          '--interval',
          '1s',
        ])
      ).code,
    ).toBe(0);
    expect(
      (await w.cli(['-p', 'sandbox', 'unassign', '-s', 'foundation_ap', '--include', a, '--yes'])).code,
    ).toBe(0);

    const entries = await historyOf(w);
    expect(entries.map((e) => [e.profile, e.verb, e.outcome])).toEqual([
      ['sandbox', 'assign', 'accepted'],
      ['other', 'assign', 'done'],
      ['sandbox', 'unassign', 'accepted'],
    ]);
    expect(entries[0]).toMatchObject({
      gateway: w.sandbox.url,
      services: ['foundation_ap'],
      scope: { mode: 'include', customersInScope: 1, listed: [a] },
      requests: [{ status: 'accepted' }],
      finishedAt: expect.any(String),
    });
    expect(entries[1]).toMatchObject({
      scope: { mode: 'exclude', customersInScope: 5, listed: [a] },
      counts: { done: expect.any(Number), needed: expect.any(Number) },
    });
    expect(entries[1]?.counts?.done).toBe(entries[1]?.counts?.needed);
    for (const e of entries) expect(e.error).toBeUndefined();

    // Filters: --profile (and MSP_LICENSE_PROFILE), --limit, --since.
    expect((await historyOf(w, ['--profile', 'other'])).map((e) => e.verb)).toEqual(['assign']);
    const viaEnv = parse(await w.cli(['history', '--json'], { env: { MSP_LICENSE_PROFILE: 'sandbox' } }));
    expect(viaEnv.entries.map((e: HistoryEntry) => e.verb)).toEqual(['assign', 'unassign']);
    expect((await historyOf(w, ['--limit', '1'])).map((e) => e.verb)).toEqual(['unassign']);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await historyOf(w, ['--since', tomorrow])).toEqual([]);
    const bad = await w.cli(['history', '--since', 'last tuesday']);
    expect(bad.code).toBe(2);

    // The human listing: one line per job, plain text without a terminal.
    const human = await w.cli(['history']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /sandbox +assign +foundation_ap {2}include 1 \(1 in scope, 1 request\) {2}accepted$/,
    );
    expect(lines[1]).toMatch(
      /other +assign +foundation_ap {2}exclude 1 \(5 in scope, 1 request\) {2}done \d+\/\d+ devices$/,
    );
    expect(lines[2]).toMatch(/unassign/);

    const text = readFileSync(join(w.dir, 'history.jsonl'), 'utf8');
    expectNoSecret(text, secretsOf(w.sandbox));
    expectNoSecret(text, [minted.access_token, minted.refresh_token]);
    expectTypedHistory(w.dir);
  });

  test('history --since in the future: "no entry matches", not "no history yet"', async () => {
    const w = await inWorld();
    expect((await w.cli(['assign', '-s', 'foundation_ap', '--include', w.ids[0] as string])).code).toBe(0);
    const result = await w.cli(['history', '--since', '2099-01-01']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/No entry matches \(1 in the history; widen --since or drop --profile\)/);
  });
});
