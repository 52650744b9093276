// history: the local audit log, one entry per assign/unassign, merged from its event lines
// (a `sent` line before the first request goes out, a `result` line when the run ends).
import {
  type HistoryRequest,
  type ResultEvent,
  readHistoryEvents,
  type SentEvent,
} from '../config/history.js';
import type { Context } from '../context.js';
import type { HistoryOptions } from '../flags.js';
import { plural } from '../ui/format.js';
import { cleanText } from '../ui/sanitize.js';

export interface HistoryEntry {
  id: string;
  /** When the job was sent (ISO). */
  time: string;
  /** When the run ended (ISO); absent while running or when the process died. */
  finishedAt?: string;
  profile: string | null;
  gateway: string;
  verb: string;
  services: string[];
  /** `listed`: the customer ids named by --include / --exclude. */
  scope?: SentEvent['scope'];
  /** include, exclude, all or complement (an exclude list sent as include chunks). */
  strategy?: string;
  /** Requests planned before sending (chunks). */
  plannedRequests?: number;
  /** done, settled, accepted, stalled, timeout, interrupted, failed, or unknown (no result line: still running, or the process died). */
  outcome: string;
  requests?: HistoryRequest[];
  /** With --wait: devices done / needed (`needed` null when unknown). */
  counts?: ResultEvent['counts'];
  apiCalls?: number;
  /** Why a failed or interrupted run ended (secrets redacted). */
  error?: string;
}

export interface HistoryResult {
  entries: HistoryEntry[];
  skippedLines: number;
  /** Entries in the log before --since / --profile / --limit narrowed them. */
  total: number;
}

export async function run(ctx: Context, options: HistoryOptions): Promise<HistoryResult> {
  const { limit, since } = options;
  const profile = ctx.globals.profile;
  const { events, skipped } = readHistoryEvents(ctx.dir);
  const byId = new Map<string, HistoryEntry>();
  for (const e of events) {
    let entry = byId.get(e.id);
    if (!entry) {
      entry = {
        id: e.id,
        time: e.time,
        profile: e.profile,
        gateway: e.gateway,
        verb: e.verb,
        services: e.services,
        outcome: 'unknown',
      };
      byId.set(e.id, entry);
    }
    if (e.event === 'sent') {
      entry.time = e.time;
      if (e.scope) entry.scope = e.scope;
      if (e.strategy !== undefined) entry.strategy = e.strategy;
      if (e.plannedRequests !== undefined) entry.plannedRequests = e.plannedRequests;
    } else {
      entry.finishedAt = e.time;
      entry.outcome = e.outcome ?? 'unknown';
      if (e.requests) entry.requests = e.requests;
      if (e.counts) entry.counts = e.counts;
      if (e.apiCalls !== undefined) entry.apiCalls = e.apiCalls;
      if (e.error !== undefined) entry.error = e.error;
    }
  }
  const total = byId.size;
  let entries = [...byId.values()].sort((a, b) => a.time.localeCompare(b.time));
  if (since !== undefined) entries = entries.filter((e) => Date.parse(e.time) >= since);
  // --profile (or MSP_LICENSE_PROFILE) narrows the log to that profile; without one, every profile.
  if (profile) entries = entries.filter((e) => e.profile === profile);
  if (skipped) ctx.io.warn(`warning: ${plural(skipped, 'unreadable line')} in the history file skipped`);
  return { entries: entries.slice(-limit), skippedLines: skipped, total };
}

const GOOD = new Set(['done', 'accepted', 'settled']);

export function render(result: HistoryResult, ctx: Context): void {
  const { io } = ctx;
  if (!result.entries.length) {
    io.info(
      result.total
        ? `No entry matches (${result.total} in the history; widen --since or drop --profile).`
        : 'No history yet.',
    );
    return;
  }
  for (const e of result.entries) {
    const scope = e.scope;
    const accepted = e.requests?.filter((r) => r.status === 'accepted').length;
    const total = e.requests ? e.requests.length : e.plannedRequests;
    const chunks =
      total === undefined
        ? ''
        : accepted === undefined || accepted === total
          ? `, ${plural(total, 'request')}`
          : `, ${accepted}/${total} requests sent`;
    const inScope = `${scope?.customersInScope ?? '?'} in scope${chunks}`;
    const scopeText = !scope
      ? ''
      : scope.mode === 'all'
        ? `all customers (${inScope})`
        : `${scope.mode} ${scope.listed.length} (${inScope})`;
    const counts = e.counts;
    const countText = counts ? ` ${counts.done}/${counts.needed ?? '?'} devices` : '';
    const outcome = io.styleOut(
      GOOD.has(e.outcome) ? 'green' : e.outcome === 'failed' ? 'red' : 'yellow',
      e.outcome,
    );
    io.out(
      `${e.time}  ${(e.profile ?? '-').padEnd(10)} ${e.verb.padEnd(8)} ${cleanText(e.services.join(','))}  ${scopeText}  ${outcome}${countText}`,
    );
    // A replayed error may quote a server: one line, nothing in it drives the terminal.
    if (e.error) io.out(`    ${cleanText(e.error)}`);
  }
}

/** A list or report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;
