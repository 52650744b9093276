// Which run `--resume` picks, from a real history file: the newest of this verb, profile and
// gateway with requests left unsent, unless a later run resumed it to its end.
import { afterEach, describe, expect, test } from 'vitest';
import { findResumable } from '../../../src/commands/shared/resume.js';
import { appendHistory, type HistoryEvent } from '../../../src/config/history.js';
import { UsageError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/cli.js';

const gateway = 'https://apigw-eucentral3.central.arubanetworks.com';
const where = { profile: 'prod', gateway };
const dirs: Array<{ cleanup: () => void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

const base = (id: string) => ({
  id,
  time: '2026-12-01T10:00:00.000Z',
  profile: 'prod',
  gateway,
  verb: 'assign',
  services: ['foundation_ap'],
});
const sent = (id: string, resumeOf?: string): HistoryEvent => ({
  ...base(id),
  event: 'sent',
  scope: { mode: 'include', customersInScope: 3, listed: ['c1', 'c2', 'c3'] },
  strategy: 'include',
  plannedRequests: 2,
  ...(resumeOf ? { resumeOf } : {}),
});
const result = (id: string, unsent: string[]): HistoryEvent => ({
  ...base(id),
  event: 'result',
  outcome: unsent.length ? 'interrupted' : 'accepted',
  strategy: 'include',
  requests: [],
  apiCalls: 2,
  ...(unsent.length ? { unsent: [{ include: unsent }] } : {}),
});

function history(events: HistoryEvent[]): string {
  const t = tempDir();
  dirs.push(t);
  for (const e of events) appendHistory(t.dir, e);
  return t.dir;
}

describe('findResumable', () => {
  test('the stopped run, with the ids it did not get accepted', () => {
    const dir = history([sent('r1'), result('r1', ['c2', 'c3'])]);
    expect(findResumable(dir, 'assign', where, undefined)).toEqual({
      id: 'r1',
      services: ['foundation_ap'],
      include: ['c2', 'c3'],
    });
  });

  test('a run resumed to its end is not resumed again', () => {
    const dir = history([sent('r1'), result('r1', ['c3']), sent('r2', 'r1'), result('r2', [])]);
    expect(() => findResumable(dir, 'assign', where, undefined)).toThrow(UsageError);
    expect(() => findResumable(dir, 'assign', where, 'r1')).toThrow(/was resumed already/);
  });

  test('a resuming run with no result yet: a bare --resume leaves it alone (it may still run); by id, the original is resumable', () => {
    const dir = history([sent('r1'), result('r1', ['c3']), sent('r2', 'r1')]);
    expect(() => findResumable(dir, 'assign', where, undefined)).toThrow(UsageError);
    expect(findResumable(dir, 'assign', where, 'r1')).toMatchObject({ id: 'r1', include: ['c3'] });
  });

  test('a resuming run that stopped part-way is itself the one to resume', () => {
    const dir = history([sent('r1'), result('r1', ['c2', 'c3']), sent('r2', 'r1'), result('r2', ['c3'])]);
    expect(findResumable(dir, 'assign', where, undefined)).toMatchObject({ id: 'r2', include: ['c3'] });
  });

  test('another profile, gateway or verb is not resumed here', () => {
    const dir = history([sent('r1'), result('r1', ['c3'])]);
    expect(() => findResumable(dir, 'unassign', where, undefined)).toThrow(UsageError);
    expect(() => findResumable(dir, 'assign', { ...where, profile: 'lab' }, undefined)).toThrow(UsageError);
    expect(() => findResumable(dir, 'assign', { ...where, profile: 'lab' }, 'r1')).toThrow(
      /was sent to .*profile prod.*not to this gateway and profile/,
    );
  });
});
