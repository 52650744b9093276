// The local audit log: one JSON record per line, append-only. Node built-ins only.
import fs from 'node:fs';
import { isRecord } from '../core/json.js';
import { ConfigError } from '../errors.js';
import { describeError, errorCode, mkdirPrivate } from './fs-private.js';
import { configPaths } from './paths.js';

/** One line of the log as stored: any JSON object with a string `id`, `event` and `time`. */
export interface HistoryRecord {
  id: string;
  event: string;
  /** ISO time */
  time: string;
  [key: string]: unknown;
}

// A license or auto-licensing run writes two events under one id: `sent` before its first
// request goes out, `result` when it ends (even on failure or Ctrl-C; a missing `result` means
// the process died). The writer is src/commands/shared/job.ts; the readers are `history`,
// `status` (its last job) and `--resume`.

/** What every event of a run repeats. */
interface RunFields {
  id: string;
  /** ISO time the event was written. */
  time: string;
  profile: string | null;
  /** The gateway's base URL. */
  gateway: string;
  /** `assign`, `unassign`, `autolicense-enable` or `autolicense-disable`. */
  verb: string;
  services: string[];
}

/** One request of a run, as `result` keeps it. */
export interface HistoryRequest {
  index: number;
  /** Customers the request names (for `exclude`, the customers left out). */
  customers: number;
  kind: 'include' | 'exclude' | 'all';
  /** `split`: refused as too large and re-sent as smaller requests, listed after it. */
  status: 'accepted' | 'failed' | 'not-sent' | 'split';
  httpStatus?: number;
  /** The gateway's request id, when it sends one. */
  requestId?: string;
}

/** A request not accepted, as `result` keeps it for `--resume` (customer ids). */
export interface UnsentRequest {
  include?: string[];
  exclude?: string[];
  all?: true;
}

export interface SentEvent extends RunFields {
  event: 'sent';
  scope: { mode: 'include' | 'exclude' | 'all'; customersInScope: number; listed: string[] };
  /** include, exclude, all or complement (an exclude list sent as include chunks). */
  strategy: string;
  /** Requests planned before sending (chunks). */
  plannedRequests: number;
  /** The id of the run this one resumes. */
  resumeOf?: string;
}

export interface ResultEvent extends RunFields {
  event: 'result';
  /** accepted, done, settled, stalled, timeout, interrupted or failed. */
  outcome: string;
  strategy: string;
  requests: HistoryRequest[];
  /** With --wait: devices done / needed (`needed` null when unknown). */
  counts?: { done: number; needed: number | null };
  apiCalls: number;
  /** Why a failed or interrupted run ended (secrets redacted). */
  error?: string;
  unsent?: UnsentRequest[];
}

/** An event as the writer writes it. */
export type HistoryEvent = SentEvent | ResultEvent;

/**
 * An event as read back: a line from an older build or a hand edit may lack any field past the
 * run's identity, so those are optional here, and a field of the wrong shape is left out.
 */
export type StoredEvent = Stored<SentEvent> | Stored<ResultEvent>;
type Stored<E extends HistoryEvent> = Pick<E, keyof RunFields | 'event'> &
  Partial<Omit<E, keyof RunFields | 'event'>>;

/**
 * Appends one record as one line. The line goes out in a single write() on an O_APPEND
 * descriptor, so concurrent appenders never interleave. If the file ends in a torn line (a crash
 * mid-write), the new line starts with a newline so the torn one stays isolated and skippable.
 * The file is created 0600 (its folder 0700).
 */
export function appendHistory(dir: string, record: HistoryEvent | HistoryRecord): void {
  const file = configPaths(dir).history;
  const line = `${JSON.stringify(record)}\n`;
  mkdirPrivate(dir);
  let fd: number | undefined;
  try {
    // 'a+' is O_APPEND|O_CREAT|O_RDWR: appends like 'a', and lets us read the last byte.
    // O_NOFOLLOW: a symlink in its place must not send the audit log elsewhere.
    fd = fs.openSync(
      file,
      fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_RDWR | fs.constants.O_NOFOLLOW,
      0o600,
    );
    const size = fs.fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    const bytes = Buffer.from(prefix + line, 'utf8');
    let written = fs.writeSync(fd, bytes);
    // A regular file takes the whole buffer in one write; this loop is only a safety net.
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
    fs.fsyncSync(fd);
  } catch (error) {
    throw new ConfigError(`Cannot append to the history file ${file}: ${describeError(error)}`, {
      cause: error,
    });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * All valid records, oldest first. Lines that are not a JSON record with string `id`, `event`
 * and `time` (a torn line, a hand edit) are skipped and counted; blank lines are ignored.
 * A missing file is an empty history; only an unreadable one throws (ConfigError).
 */
export function readHistory(dir: string): { records: HistoryRecord[]; skipped: number } {
  const file = configPaths(dir).history;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { records: [], skipped: 0 };
    throw new ConfigError(`Cannot read the history file ${file}: ${describeError(error)}`, { cause: error });
  }
  const records: HistoryRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const record = parseRecord(line);
    if (record) records.push(record);
    else skipped++;
  }
  return { records, skipped };
}

function parseRecord(line: string): HistoryRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (!isRecord(value)) return undefined;
    if (typeof value.id !== 'string' || typeof value.event !== 'string' || typeof value.time !== 'string') {
      return undefined;
    }
    return value as HistoryRecord;
  } catch {
    return undefined;
  }
}

/**
 * The `sent` and `result` events of the log, oldest first, typed. Records of any other event are
 * left out; `skipped` counts the unreadable lines, as readHistory does.
 */
export function readHistoryEvents(dir: string): { events: StoredEvent[]; skipped: number } {
  const { records, skipped } = readHistory(dir);
  const events: StoredEvent[] = [];
  for (const record of records) {
    const event = toEvent(record);
    if (event) events.push(event);
  }
  return { events, skipped };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const oneOf =
  <T extends string>(...values: T[]) =>
  (value: unknown): value is T =>
    values.includes(value as T);
const isKind = oneOf('include', 'exclude', 'all');
const isStatus = oneOf('accepted', 'failed', 'not-sent', 'split');

function isScope(value: unknown): value is SentEvent['scope'] {
  return isRecord(value) && isKind(value.mode) && isNumber(value.customersInScope) && isStrings(value.listed);
}

function isRequest(value: unknown): value is HistoryRequest {
  return (
    isRecord(value) &&
    isNumber(value.index) &&
    isNumber(value.customers) &&
    isKind(value.kind) &&
    isStatus(value.status) &&
    (value.httpStatus === undefined || isNumber(value.httpStatus)) &&
    (value.requestId === undefined || isString(value.requestId))
  );
}

function isUnsent(value: unknown): value is UnsentRequest {
  return (
    isRecord(value) &&
    (value.include === undefined || isStrings(value.include)) &&
    (value.exclude === undefined || isStrings(value.exclude)) &&
    (value.all === undefined || value.all === true)
  );
}

function isCounts(value: unknown): value is NonNullable<ResultEvent['counts']> {
  return isRecord(value) && isNumber(value.done) && (value.needed === null || isNumber(value.needed));
}

/** The record as a typed event: each field kept only when it has its shape. */
function toEvent(record: HistoryRecord): StoredEvent | undefined {
  if (record.event !== 'sent' && record.event !== 'result') return undefined;
  const run: RunFields = {
    id: record.id,
    time: record.time,
    profile: isString(record.profile) ? record.profile : null,
    gateway: isString(record.gateway) ? record.gateway : '',
    verb: isString(record.verb) ? record.verb : '',
    services: isStrings(record.services) ? record.services : [],
  };
  const keep = <K extends string, T>(key: K, value: unknown, is: (v: unknown) => v is T) =>
    (is(value) ? { [key]: value } : {}) as Partial<Record<K, T>>;
  if (record.event === 'sent') {
    return {
      ...run,
      event: 'sent',
      ...keep('scope', record.scope, isScope),
      ...keep('strategy', record.strategy, isString),
      ...keep('plannedRequests', record.plannedRequests, isNumber),
      ...keep('resumeOf', record.resumeOf, isString),
    };
  }
  const isRequests = (value: unknown): value is HistoryRequest[] =>
    Array.isArray(value) && value.every(isRequest);
  const isUnsentList = (value: unknown): value is UnsentRequest[] =>
    Array.isArray(value) && value.every(isUnsent);
  return {
    ...run,
    event: 'result',
    ...keep('outcome', record.outcome, isString),
    ...keep('strategy', record.strategy, isString),
    ...keep('requests', record.requests, isRequests),
    ...keep('counts', record.counts, isCounts),
    ...keep('apiCalls', record.apiCalls, isNumber),
    ...keep('error', record.error, isString),
    ...keep('unsent', record.unsent, isUnsentList),
  };
}
