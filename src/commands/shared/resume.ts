// `assign|unassign --resume [ID]`: send again only what a run that stopped part-way did not get
// accepted (a 409 that outlasted its retries, a network failure, Ctrl-C between chunks). The
// history's `result` record keeps those requests' customer ids (`unsent`); the resumed run takes
// its services and scope from there and goes through the same plan, confirmation and --wait.
import { readHistoryEvents, type StoredEvent, type UnsentRequest } from '../../config/history.js';
import type { Context } from '../../context.js';
import type { Verb } from '../../core/progress.js';
import type { JobRequest } from '../../core/scope.js';
import { UsageError } from '../../errors.js';
import type { JobOptions } from './job-prepare.js';

export function unsentRecord(request: JobRequest): UnsentRequest {
  if (request.include) return { include: request.include };
  if (request.exclude) return { exclude: request.exclude };
  return { all: true };
}

export interface ResumePlan {
  id: string;
  services: string[];
  include?: string[];
  exclude?: string[];
  allCustomers?: boolean;
}

/**
 * The run to resume: `id`, or the newest one of this verb, profile and gateway with requests left
 * unsent that no later run has resumed (to its end). UsageError (exit 2) when there is none.
 */
export function findResumable(
  dir: string,
  verb: string,
  where: { profile: string | undefined; gateway: string },
  id: string | undefined,
): ResumePlan {
  const { events } = readHistoryEvents(dir);
  // A bare --resume never picks a run another run has started resuming: that one may still be
  // sending or waiting (cron every 15 minutes). Named by its id, a run counts as resumed only once
  // its resuming run recorded how it ended: one killed (SIGKILL, a crash) between sending and its
  // result leaves the original resumable by id, not lost.
  const ended = new Set(events.flatMap((e) => (e.event === 'result' ? [e.id] : [])));
  const resumers = events.flatMap((e) => (e.event === 'sent' && e.resumeOf ? [e] : []));
  const resumed = new Set(
    resumers.flatMap((e) => (id === undefined || ended.has(e.id) ? [e.resumeOf as string] : [])),
  );
  const fits = (e: StoredEvent): e is Extract<StoredEvent, { event: 'result' }> =>
    e.event === 'result' &&
    e.verb === verb &&
    (id !== undefined
      ? e.id === id
      : (e.profile ?? undefined) === where.profile && e.gateway === where.gateway) &&
    (e.unsent?.length ?? 0) > 0;
  const target = [...events]
    .reverse()
    .filter(fits)
    .find((e) => id !== undefined || !resumed.has(e.id));
  if (!target) {
    throw new UsageError(
      id !== undefined
        ? `No ${verb} run '${id}' with requests left to send in the history.`
        : `No ${verb} run of this profile has requests left to send.`,
      {
        hint: "'msp-license history' lists the runs; a run whose requests were all accepted has nothing to resume.",
      },
    );
  }
  if (
    id !== undefined &&
    (target.gateway !== where.gateway || (target.profile ?? undefined) !== where.profile)
  ) {
    throw new UsageError(
      `Run '${id}' was sent to ${target.gateway}${target.profile ? ` (profile ${target.profile})` : ''}, not to this gateway and profile.`,
      { hint: 'Resume it with the profile it was sent with (-p).' },
    );
  }
  if (id !== undefined && resumed.has(target.id)) {
    throw new UsageError(`Run '${id}' was resumed already.`, {
      hint: "'msp-license history' shows the resumed run; resume that one if it stopped part-way too.",
    });
  }
  const unsent = target.unsent ?? [];
  const { services } = target;
  if (unsent.some((u) => u.all)) return { id: target.id, services, allCustomers: true };
  const exclude = unsent.find((u) => u.exclude)?.exclude;
  if (exclude) return { id: target.id, services, exclude };
  const include = [...new Set(unsent.flatMap((u) => u.include ?? []))];
  return { id: target.id, services, include };
}

/** With --resume, the services and scope of the run to resume (from the history). */
export function resumeOptions(
  ctx: Context,
  verb: Verb,
  options: JobOptions,
  action: string,
): { options: JobOptions; resumeOf?: string } {
  if (options.resume === undefined || options.resume === false) {
    if (!options.services?.length) {
      throw new UsageError('--services is required.', {
        code: 'missing_services',
        hint: `Name the services to ${verb === 'assign' ? 'assign' : 'remove'}, e.g. --services foundation_ap ('msp-license services' lists them).`,
      });
    }
    return { options };
  }
  const scoped =
    options.include?.length || options.exclude?.length || options.includeFile || options.excludeFile;
  if (options.services?.length || scoped || options.allCustomers) {
    throw new UsageError('--resume takes its services and customers from the history.', {
      hint: `Run 'msp-license ${verb} --resume' alone (with --wait, --yes or --dry-run if wanted).`,
    });
  }
  const session = ctx.session();
  const plan = findResumable(
    ctx.dir,
    action,
    { profile: session.profileName, gateway: session.baseUrl },
    typeof options.resume === 'string' ? options.resume : undefined,
  );
  ctx.io.info(`Resuming run ${plan.id}: what it did not get accepted is sent now.`);
  return {
    resumeOf: plan.id,
    options: {
      ...options,
      resume: false,
      services: plan.services,
      ...(plan.include ? { include: plan.include } : {}),
      ...(plan.exclude ? { exclude: plan.exclude } : {}),
      ...(plan.allCustomers ? { allCustomers: true } : {}),
    },
  };
}
