// history: the local audit log, one entry per assign/unassign, merged from its event lines.
import { readHistory } from '../config/history.js';
import type { Context } from '../context.js';
import { parseSince } from '../core/duration.js';
import { UsageError } from '../errors.js';

export interface HistoryEntry {
  id: string;
  time: string;
  finishedAt?: string;
  profile: string | null;
  gateway: string;
  verb: string;
  services: string[];
  scope?: unknown;
  strategy?: string;
  /** done, settled, accepted, stalled, timeout, interrupted, failed, or unknown (no result line: the process died). */
  outcome: string;
  requests?: unknown;
  counts?: unknown;
  apiCalls?: number;
  error?: string;
}

export async function run(
  ctx: Context,
  options: { since?: string; limit?: string; profile?: string },
): Promise<{ entries: HistoryEntry[]; skippedLines: number }> {
  const limit = Number(options.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit: '${options.limit}' is not a positive whole number.`);
  const since = options.since ? parseSince(options.since) : undefined;
  const { records, skipped } = readHistory(ctx.dir);
  const byId = new Map<string, HistoryEntry>();
  for (const r of records) {
    const rec = r as Record<string, unknown>;
    let entry = byId.get(r.id);
    if (!entry) {
      entry = {
        id: r.id,
        time: r.time,
        profile: (rec.profile as string | null) ?? null,
        gateway: String(rec.gateway ?? ''),
        verb: String(rec.verb ?? ''),
        services: (rec.services as string[]) ?? [],
        outcome: 'unknown',
      };
      byId.set(r.id, entry);
    }
    if (r.event === 'sent') {
      entry.time = r.time;
      entry.scope = rec.scope;
      entry.strategy = rec.strategy as string;
    } else if (r.event === 'result') {
      entry.finishedAt = r.time;
      entry.outcome = String(rec.outcome ?? 'unknown');
      if (rec.requests) entry.requests = rec.requests;
      if (rec.counts) entry.counts = rec.counts;
      if (typeof rec.apiCalls === 'number') entry.apiCalls = rec.apiCalls;
      if (typeof rec.error === 'string') entry.error = rec.error;
    }
  }
  let entries = [...byId.values()].sort((a, b) => a.time.localeCompare(b.time));
  if (since !== undefined) entries = entries.filter((e) => Date.parse(e.time) >= since);
  if (options.profile) entries = entries.filter((e) => e.profile === options.profile);
  if (skipped)
    ctx.io.warn(`warning: ${skipped} unreadable line${skipped > 1 ? 's' : ''} in the history file skipped`);
  return { entries: entries.slice(-limit), skippedLines: skipped };
}

export function render(result: { entries: HistoryEntry[] }, ctx: Context): void {
  const { io } = ctx;
  if (!result.entries.length) {
    io.info('No history yet.');
    return;
  }
  for (const e of result.entries) {
    const scope = e.scope as { mode?: string; customersInScope?: number; listed?: string[] } | undefined;
    const scopeText = scope
      ? scope.mode === 'all'
        ? 'all customers'
        : `${scope.mode} ${scope.listed?.length ?? '?'} (${scope.customersInScope ?? '?'} in scope)`
      : '';
    const counts = e.counts as { done?: number; needed?: number | null } | undefined;
    const countText = counts ? ` ${counts.done ?? '?'}/${counts.needed ?? '?'} devices` : '';
    const outcome =
      e.outcome === 'done' || e.outcome === 'accepted' || e.outcome === 'settled'
        ? io.style('green', e.outcome)
        : io.style('yellow', e.outcome);
    io.out(
      `${e.time}  ${(e.profile ?? '-').padEnd(10)} ${e.verb.padEnd(8)} ${e.services.join(',')}  ${scopeText}  ${outcome}${countText}`,
    );
  }
}
