// The typed `sent` and `result` events of the history: what the writer (src/commands/shared/job.ts)
// records reads back whole; a line from an older build or a hand edit reads back with what fits.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { JobResult } from '../../../src/commands/shared/job.js';
import type { unsentRecord } from '../../../src/commands/shared/resume.js';
import {
  appendHistory,
  type HistoryEvent,
  type HistoryRequest,
  type ResultEvent,
  readHistoryEvents,
  type SentEvent,
  type UnsentRequest,
} from '../../../src/config/history.js';
import type { actionOf } from '../../../src/core/job-plan.js';
import { tempDir } from './helpers.js';

let root: string;
let dir: string;

beforeEach(() => {
  root = tempDir();
  dir = path.join(root, 'msp-license');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const run = {
  id: 'mabc-x1y2z3',
  profile: 'prod',
  gateway: 'https://apigw-uswest4.central.arubanetworks.com',
  verb: 'assign',
  services: ['foundation_ap', 'advanced_ap'],
};

describe('history events', () => {
  it("the writer's types fit the event types", () => {
    expectTypeOf<JobResult['requests'][number]>().toExtend<HistoryRequest>();
    expectTypeOf<JobResult['scope']['mode']>().toExtend<SentEvent['scope']['mode']>();
    expectTypeOf<JobResult['strategy']>().toExtend<SentEvent['strategy']>();
    expectTypeOf<JobResult['outcome']>().toExtend<ResultEvent['outcome']>();
    expectTypeOf<ReturnType<typeof actionOf>>().toExtend<SentEvent['verb']>();
    expectTypeOf<ReturnType<typeof unsentRecord>>().toExtend<UnsentRequest>();
  });

  it('reads back every field of the records a job writes', () => {
    const written: HistoryEvent[] = [
      {
        ...run,
        event: 'sent',
        time: '2026-12-01T10:00:00.000Z',
        scope: { mode: 'include', customersInScope: 3, listed: ['c1', 'c2', 'c3'] },
        strategy: 'include',
        plannedRequests: 2,
      },
      {
        ...run,
        event: 'result',
        time: '2026-12-01T10:00:09.000Z',
        outcome: 'interrupted',
        strategy: 'include',
        requests: [
          { index: 0, customers: 2, kind: 'include', status: 'accepted', httpStatus: 200, requestId: 'r-1' },
          { index: 1, customers: 1, kind: 'include', status: 'not-sent' },
        ],
        counts: { done: 4, needed: null },
        apiCalls: 12,
        error: 'Interrupted.',
        unsent: [{ include: ['c3'] }],
      },
      {
        ...run,
        id: 'mabd-000001',
        profile: null,
        verb: 'autolicense-disable',
        event: 'sent',
        time: '2026-12-01T11:00:00.000Z',
        scope: { mode: 'exclude', customersInScope: 9, listed: ['c1'] },
        strategy: 'complement',
        plannedRequests: 1,
        resumeOf: 'mabc-x1y2z3',
      },
      {
        ...run,
        id: 'mabd-000001',
        profile: null,
        verb: 'autolicense-disable',
        event: 'result',
        time: '2026-12-01T11:00:01.000Z',
        outcome: 'failed',
        strategy: 'complement',
        requests: [{ index: 0, customers: 9, kind: 'all', status: 'split', httpStatus: 413 }],
        apiCalls: 3,
        unsent: [{ exclude: ['c1'] }, { all: true }],
      },
    ];
    for (const event of written) appendHistory(dir, event);
    expect(readHistoryEvents(dir)).toEqual({ events: written, skipped: 0 });
  });

  it('reads an older or hand-edited line with what fits, and leaves other events out', () => {
    fs.mkdirSync(dir, { recursive: true });
    const lines = [
      // As an early build wrote a result: no strategy, requests or apiCalls.
      { ...run, event: 'result', time: 't1', outcome: 'failed', error: 'HTTP 500' },
      { id: 'bare', event: 'sent', time: 't2' },
      {
        id: 'odd',
        event: 'result',
        time: 't3',
        profile: 7,
        gateway: ['x'],
        verb: 1,
        services: ['a', 2],
        outcome: 5,
        requests: [{ index: 0, customers: 1, kind: 'include', status: 'sideways' }],
        counts: { done: '3', needed: null },
        apiCalls: '9',
        unsent: [{ all: 'yes' }],
      },
      { id: 'odd', event: 'sent', time: 't4', scope: { mode: 'some', customersInScope: 1, listed: [] } },
      { id: 'other', event: 'progress', time: 't5' },
    ];
    fs.writeFileSync(
      path.join(dir, 'history.jsonl'),
      `${lines.map((line) => JSON.stringify(line)).join('\n')}\nnot json\n`,
    );
    const identity = { profile: null, gateway: '', verb: '', services: [] };
    expect(readHistoryEvents(dir)).toEqual({
      events: [
        { ...run, event: 'result', time: 't1', outcome: 'failed', error: 'HTTP 500' },
        { id: 'bare', event: 'sent', time: 't2', ...identity },
        { id: 'odd', event: 'result', time: 't3', ...identity },
        { id: 'odd', event: 'sent', time: 't4', ...identity },
      ],
      skipped: 1,
    });
  });
});
