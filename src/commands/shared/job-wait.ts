// Following the background job (--wait): one stats call per service per poll, a verdict confirmed
// by counting the scope again when it was counted tenant by tenant.
import { fetchStats } from '../../central/api.js';
import type { Context, Session } from '../../context.js';
import { formatDuration } from '../../core/duration.js';
import { type Outcome, remainingOf } from '../../core/job-plan.js';
import {
  evaluateProgress,
  formatProgress,
  type PollSample,
  type Progress,
  type ServiceTarget,
  type Verb,
} from '../../core/progress.js';
import { plural } from '../../core/text.js';
import { InterruptedError } from '../../errors.js';
import { startProgress } from '../../ui/spinner.js';
import { loadFacts } from './facts.js';

/** The first --wait poll comes this soon (a small job is often done within seconds). */
export const FIRST_POLL_MS = 2000;

export interface WaitSettings {
  timeoutMs: number;
  intervalMs: number;
  stallAfterMs: number;
}

/**
 * The in-scope remainder per service, counted tenant by tenant (assign: unlicensed devices;
 * unassign: licensed devices), when that is how the plan was measured; undefined otherwise.
 */
export type Verify = () => Promise<Map<string, number> | undefined>;

export async function waitForJob(
  ctx: Context,
  session: Session,
  verb: Verb,
  initial: ServiceTarget[],
  settings: WaitSettings,
  verify?: Verify,
): Promise<{ outcome: Outcome; progress: Progress; polls: number }> {
  const started = ctx.clock.now();
  const { statsFilter } = loadFacts(ctx, session);
  let targets = initial;
  let progress = evaluateProgress(verb, targets, []);
  if (progress.complete) return { outcome: 'done', progress, polls: 0 };
  const spinner = await startProgress(ctx.io, `waiting for the job: ${formatProgress(progress)}`);
  ctx.onCleanup(() => spinner.stop());
  let polls = 0;
  let lastDone = -1;
  let lastChange = ctx.clock.now();
  let quietPolls = 0;
  let samples: PollSample[] = [];

  /**
   * Before a verdict, the scope itself is counted again when it can be: the MSP-wide fall also
   * moves with any other job on the same service. True when nothing is left in scope, false when
   * something is, undefined when the scope cannot be counted (the verdict stands as measured).
   */
  let left: Map<string, number> | undefined;
  const nothingLeft = async (): Promise<boolean | undefined> => {
    left = verify ? await verify() : undefined;
    return left ? [...left.values()].every((n) => n === 0) : undefined;
  };
  /** "Done" said by the MSP-wide fall but not by the scope: follow what is left, counted from now. */
  const retarget = (stillLeft: Map<string, number>) => {
    const total = [...stillLeft.values()].reduce((a, b) => a + b, 0);
    ctx.io.info(
      `the tenant-wide counts moved more than this job's devices (another job on the same service?): ${plural(total, 'device')} in scope still to do; following them`,
    );
    targets = targets.map((t) => ({
      service: t.service,
      needed: stillLeft.get(t.service) ?? 0,
      neededExact: true,
      startRemaining: samples.find((x) => x.service === t.service)?.remaining ?? t.startRemaining,
    }));
    progress = evaluateProgress(verb, targets, samples);
    lastDone = progress.done;
    lastChange = ctx.clock.now();
    quietPolls = 0;
  };
  /**
   * Quiet, and the need not known exactly: out of licenses, devices are left unlicensed somewhere,
   * so it is a stall (exit 7), never a success; else a finished job, most likely: settled.
   */
  const quietEnd = (quiet: string) => {
    if (progress.outOfLicenses) {
      spinner.fail(`stalled: ${formatProgress(progress)}; ${quiet} and no licenses left`);
      return { outcome: 'stalled' as const, progress, polls };
    }
    spinner.succeed(`settled: ${formatProgress(progress)}; ${quiet} (exact counts unknown)`);
    return { outcome: 'settled' as const, progress, polls };
  };
  const doneInScope = (elapsed: string) => {
    spinner.succeed(`done: every device in scope changed in ${elapsed}`);
    return { outcome: 'done' as const, progress: { ...progress, complete: true, blocked: false }, polls };
  };

  try {
    for (;;) {
      const remaining = settings.timeoutMs - (ctx.clock.now() - started);
      if (remaining <= 0) {
        if ((await nothingLeft()) === true) return doneInScope(formatDuration(ctx.clock.now() - started));
        // Not measurable exactly, and quiet: never a timeout for it (as for --stall-after below).
        if (!progress.exact && quietPolls >= 2) return quietEnd(`no change in the last ${quietPolls} polls`);
        spinner.fail(`timed out: ${formatProgress(progress)}`);
        return { outcome: 'timeout', progress, polls };
      }
      // The first look comes soon (a small job is often done within seconds), then every interval.
      const pause = polls === 0 ? Math.min(FIRST_POLL_MS, settings.intervalMs) : settings.intervalMs;
      try {
        await ctx.clock.sleep(Math.min(pause, remaining), ctx.abort.signal);
      } catch {
        throw new InterruptedError('Interrupted while waiting; the job goes on in Central.');
      }
      samples = await Promise.all(
        targets.map(async (t) => {
          const stats = await fetchStats(session.client, t.service, { filter: statsFilter });
          return {
            service: t.service,
            remaining: remainingOf(verb, stats),
            licensesAvailable: stats.licensesAvailable,
          };
        }),
      );
      polls++;
      progress = evaluateProgress(verb, targets, samples);
      if (progress.done !== lastDone) {
        lastDone = progress.done;
        lastChange = ctx.clock.now();
        quietPolls = 0;
      } else {
        quietPolls++;
      }
      const elapsed = formatDuration(ctx.clock.now() - started);
      if (progress.complete) {
        if ((await nothingLeft()) === false && left) {
          retarget(left);
          continue;
        }
        spinner.succeed(`done: ${formatProgress(progress)} in ${elapsed}`);
        return { outcome: 'done', progress, polls };
      }
      if (progress.blocked) {
        if ((await nothingLeft()) === true) return doneInScope(elapsed);
        spinner.fail(`stalled: ${formatProgress(progress)} (out of licenses)`);
        return { outcome: 'stalled', progress, polls };
      }
      if (ctx.clock.now() - lastChange >= settings.stallAfterMs) {
        if ((await nothingLeft()) === true) return doneInScope(elapsed);
        const quiet = `no change for ${formatDuration(settings.stallAfterMs)}`;
        if (progress.exact && !progress.outOfLicenses) {
          spinner.fail(`stalled: ${formatProgress(progress)}; ${quiet}`);
          return { outcome: 'stalled', progress, polls };
        }
        return quietEnd(quiet);
      }
      spinner.update(`${formatProgress(progress)} (${elapsed})`);
    }
  } finally {
    spinner.stop();
  }
}
