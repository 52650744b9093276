// apply's record of what it did, one line per case: which record --resume picks, when one is
// refused, the plan's jobs as recorded, the lines shown; and the store, on real files.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type ApplyRecord,
  isApplyId,
  jobsOfPlan,
  latestUnfinished,
  loadRecord,
  newApplyId,
  RESUME_MAX_AGE_MS,
  type RecordedJob,
  resumeRefusal,
  saveRecord,
  stoppedError,
} from '../../../src/commands/apply/record.js';
import { appliedLines, recordedLines } from '../../../src/commands/apply/render.js';
import type { ApplyResult } from '../../../src/commands/apply.js';
import { CliError, ExitCode, RateLimitError, UsageError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/cli.js';

const gateway = 'https://apigw-eucentral3.central.arubanetworks.com';
const NOW = Date.parse('2026-12-01T12:00:00Z');
const here = { gateway, profile: 'prod' };
const job = (status: RecordedJob['status'], over: Partial<RecordedJob> = {}): RecordedJob => ({
  action: 'assign',
  services: ['foundation_ap'],
  customers: ['c1', 'c2'],
  status,
  ...over,
});
const record = (id: string, jobs: RecordedJob[], over: Partial<ApplyRecord> = {}): ApplyRecord => ({
  id,
  createdAt: new Date(NOW - 3_600_000).toISOString(),
  gateway,
  profile: 'prod',
  policyFile: 'licensing.yaml',
  jobs,
  ...over,
});

describe('isApplyId', () => {
  test.each([
    ['mh3x1a-4fk2q9', true],
    ['a', true],
    ['A1', false],
    ['../x', false],
    ['', false],
    ['a'.repeat(65), false],
  ])('%j → %s', (id, expected) => expect(isApplyId(id)).toBe(expected));
  test('a new id is one, and sorts by time', () =>
    expect([isApplyId(newApplyId(NOW)), newApplyId(NOW) < newApplyId(NOW + 1_000_000)]).toEqual([
      true,
      true,
    ]));
});

describe('latestUnfinished', () => {
  test.each([
    [[], undefined],
    [[['a', record('a', [job('done')])]], undefined],
    [[['a', record('a', [job('done'), job('failed')])]], 'a'],
    [
      [
        ['a', record('a', [job('pending')])],
        ['b', record('b', [job('done')])],
      ],
      'a',
    ],
    [
      [
        ['b', record('b', [job('pending')])],
        ['a', record('a', [job('pending')])],
      ],
      'b',
    ],
    [
      [
        ['b', undefined],
        ['a', record('a', [job('pending')])],
      ],
      'a',
    ],
    // Another profile's or gateway's unfinished record is never picked here.
    [
      [
        ['b', record('b', [job('pending')], { profile: 'other-msp' })],
        ['a', record('a', [job('pending')])],
      ],
      'a',
    ],
    [[['b', record('b', [job('pending')], { gateway: 'http://127.0.0.1:9' })]], undefined],
    [[['b', record('b', [job('pending')], { profile: undefined })]], undefined],
  ] as Array<[Array<[string, ApplyRecord | undefined]>, string | undefined]>)('%#', (records, expected) =>
    expect(latestUnfinished(records, here)).toBe(expected),
  );
});

describe('resumeRefusal', () => {
  test.each([
    ['same gateway and profile, an hour old', record('a', []), here, undefined],
    [
      'another gateway',
      record('a', []),
      { ...here, gateway: 'http://127.0.0.1:9' },
      "The apply record 'a' is for " + gateway + ', not http://127.0.0.1:9.',
    ],
    [
      'another profile on the same gateway',
      record('a', []),
      { ...here, profile: 'other-msp' },
      "The apply record 'a' was made with profile prod, not profile other-msp: its jobs are not sent with other credentials.",
    ],
    [
      'a day and a second old',
      record('a', [], { createdAt: new Date(NOW - RESUME_MAX_AGE_MS - 1000).toISOString() }),
      here,
      "The apply record 'a' is more than a day old: it is not resumed.",
    ],
  ])('%s', (_name, r, where, message) => expect(resumeRefusal(r, where, NOW)?.message).toBe(message));
  test.each([
    [record('a', []), 'Run with --profile prod.'],
    [record('a', [], { profile: undefined }), 'Run with the profile it was made with.'],
  ])('the gateway refusal says which profile: %#', (r, hint) =>
    expect(resumeRefusal(r, { ...here, gateway: 'http://127.0.0.1:9' }, NOW)?.hint).toBe(hint),
  );
});

describe("stoppedError: the job's own exit code, and how to finish", () => {
  const r = record('k1-abc', []);
  const failed = job('failed', { error: 'boom' });
  test.each([
    ['a plain error', new Error('boom'), 1, [ExitCode.failure, 'failure', false, '3 jobs not done']],
    [
      'a CLI error keeps its code',
      new RateLimitError('boom', { retryable: true, hint: 'Wait.' }),
      2,
      [ExitCode.rateLimited, 'rate_limited', true, '2 jobs not done'],
    ],
    ['at the last job', new Error('boom'), 3, [ExitCode.failure, 'failure', false, '1 job not done']],
  ])('%s', (_name, error, index, [exitCode, code, retryable, left]) => {
    const stopped = stoppedError(r, index, 4, failed, error);
    expect([
      stopped.exitCode,
      stopped.code,
      stopped.retryable,
      stopped.hint?.startsWith(`${left}: 'msp-license apply --resume k1-abc'`),
    ]).toEqual([exitCode, code, retryable, true]);
  });
  test("the message names the job; a CLI error's hint follows", () => {
    const stopped = stoppedError(r, 0, 1, failed, new CliError('boom', 1, { hint: 'Check the network.' }));
    expect([stopped.message, stopped.hint?.split('\n')[1]]).toEqual([
      'apply stopped at job 1 of 1 (assign foundation_ap): boom',
      'Check the network.',
    ]);
  });
});

describe('jobsOfPlan', () => {
  test('customer ids, every job pending', () =>
    expect(
      jobsOfPlan([
        {
          action: 'unassign',
          services: ['advanced_ap'],
          customers: [{ id: 'c1', name: 'One' }],
          devices: { advanced_ap: 2 },
        },
      ]),
    ).toEqual([{ action: 'unassign', services: ['advanced_ap'], customers: ['c1'], status: 'pending' }]));
});

describe('lines', () => {
  test.each([
    [[job('pending')], [['  1. assign', 'foundation_ap', '2 customers']]],
    [
      [job('done', { customers: ['c1'] }), job('failed', { action: 'autolicense-enable' })],
      [
        ['  1. assign', 'foundation_ap', '1 customer'],
        ['  2. autolicense-enable', 'foundation_ap', '2 customers'],
      ],
    ],
  ])('recordedLines %#', (jobs, expected) => expect(recordedLines(jobs)).toEqual(expected));
  test.each([
    [
      { ...job('done', { outcome: 'accepted', historyId: 'h1' }), customersCount: 2 },
      ['  1. assign', 'foundation_ap', '2 customers', 'accepted', 'history h1'],
    ],
    [{ ...job('failed'), customersCount: 1 }, ['  1. assign', 'foundation_ap', '1 customer', 'failed', '']],
  ] as Array<[ApplyResult['jobs'][number], string[]]>)('appliedLines %#', (j, expected) =>
    expect(appliedLines([j])).toEqual([expected]),
  );
});

describe('the store (config dir, apply-runs/ID.json)', () => {
  const dirs: Array<{ dir: string; cleanup: () => void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });
  const configDir = () => {
    const d = tempDir();
    dirs.push(d);
    return d.dir;
  };

  test('saved then loaded by id, 0600 in a 0700 folder', () => {
    const dir = configDir();
    const r = record('k1-abc', [job('pending')]);
    saveRecord(dir, r);
    expect([
      loadRecord(dir, 'k1-abc', here),
      statSync(join(dir, 'apply-runs', 'k1-abc.json')).mode & 0o777,
      statSync(join(dir, 'apply-runs')).mode & 0o777,
    ]).toEqual([r, 0o600, 0o700]);
  });
  test('--resume without an id: the newest unfinished, unreadable ones passed over', () => {
    const dir = configDir();
    saveRecord(dir, record('k1-old', [job('pending')]));
    saveRecord(dir, record('k2-mid', [job('failed')]));
    saveRecord(dir, record('k3-new', [job('done')]));
    writeFileSync(join(dir, 'apply-runs', 'k4-torn.json'), '{"id": "k4');
    expect(loadRecord(dir, true, here).id).toBe('k2-mid');
  });
  test.each([
    ['no records at all', true, undefined, 'No unfinished apply of this profile and gateway to resume.'],
    ['an id that is not one', '../../x', undefined, "'../../x' is not an apply id."],
    ['an id with no record', 'k9', undefined, "No apply record 'k9'."],
    ['a record without jobs', 'k9', '{"id": "k9"}', "The apply record 'k9' cannot be read."],
    ['a record that is not JSON', 'k9', 'not json', "The apply record 'k9' cannot be read."],
  ])('%s: a usage error (exit 2)', (_name, which, text, message) => {
    const dir = configDir();
    if (text !== undefined) {
      mkdirSync(join(dir, 'apply-runs'));
      writeFileSync(join(dir, 'apply-runs', 'k9.json'), text);
    }
    expect(() => loadRecord(dir, which, here)).toThrow(
      expect.objectContaining({ exitCode: ExitCode.usage, message }),
    );
    expect(() => loadRecord(dir, which, here)).toThrow(UsageError);
  });
});
