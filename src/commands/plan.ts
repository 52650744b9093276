// plan -f POLICY: read the estate's state (per-tenant licensed / unlicensed counts per service from
// `subscriptions/stats` with TenantID, auto-licensing settings per tenant, the customers list with
// its groups), compare it with the policy, and print the fewest jobs that converge it. --check
// (cron, monitoring) exits 10 when the estate has drifted; --out saves the plan for `apply`.
//
// Cost (said before it is spent; past what is left of today's budget it needs --yes): the
// customers list (one call per 100 customers, always fresh: groups change outside this tool), one
// stats call per service MSP-wide, one per customer and service the policy covers (no public API
// gives per-tenant counts of many tenants at once), and one auto-licensing call per covered
// customer whose rule says `auto` or `absent` (cached 6 h, as `autolicense status`).
import { createHash } from 'node:crypto';
import type { Context, Session } from '../context.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import type { PlanOptions } from '../flags.js';
import { type Policy, parsePolicy } from '../policy/parse.js';
import { driftLine, type PolicyPlan } from '../policy/plan.js';
import type { ResolvedRule } from '../policy/resolve.js';
import { plural } from '../ui/format.js';
import { PLAN_KIND, type PlanState, writeSavedPlan } from './plan/saved.js';
import { type ReadState, readState } from './plan/state.js';
import { MAX_LIST_BYTES, readInputFile } from './shared/input-file.js';

export { render } from './plan/render.js';
// The parts, split along their seams (docs/CONTRACTS.md): reading the state (plan/state.ts, its
// cost plan/cost.ts), the saved plan and its fingerprint (plan/saved.ts), the text (plan/render.ts).
export { PLAN_KIND, type PlanState } from './plan/saved.js';
export type { ReadState } from './plan/state.js';
export type { PlanOptions };

export interface PlanResult extends PolicyPlan {
  kind: typeof PLAN_KIND;
  version: 1;
  createdAt: string;
  gateway: string;
  profile?: string;
  policyFile: string;
  policyHash: string;
  policy: Policy;
  rules: ResolvedRule[];
  customersCovered: number;
  notes: string[];
  check: boolean;
  state: PlanState;
  apiCalls: number;
  dayRemaining?: number;
  dayLimit?: number;
  savedTo?: string;
}

const POLICY_HINT = 'Give the policy file (YAML or JSON) with -f FILE; docs/policy.md describes it.';

export function readPolicy(
  ctx: Context,
  file: string | undefined,
): { policy: Policy; text: string; file: string } {
  if (!file) throw new UsageError('No policy: give the policy file with -f FILE.', { hint: POLICY_HINT });
  const text =
    file === '-'
      ? ctx.io.readStdin()
      : readInputFile(file, { what: 'policy file', maxBytes: MAX_LIST_BYTES, hint: POLICY_HINT });
  return { policy: parsePolicy(text, file === '-' ? '<stdin>' : file), text, file };
}

/** The session the policy is for: its `profile`, unless --profile (or the environment) names another. */
export function policySession(ctx: Context, policy: Policy): Session {
  if (policy.profile) {
    const chosen = ctx.globals.profile ?? ctx.env.MSP_LICENSE_PROFILE;
    if (chosen && chosen !== policy.profile) {
      throw new UsageError(`The policy is for profile '${policy.profile}' but this run uses '${chosen}'.`, {
        hint: `Run with --profile ${policy.profile}, or change the policy's profile line.`,
      });
    }
    if (!chosen) (ctx.globals as { profile?: string }).profile = policy.profile;
  }
  return ctx.session();
}

export function planResult(
  _ctx: Context,
  session: Session,
  read: ReadState,
  source: { policy: Policy; text: string; file: string },
  check: boolean,
): PlanResult {
  const metrics = session.client.metrics;
  return {
    kind: PLAN_KIND,
    version: 1,
    createdAt: new Date().toISOString(),
    gateway: session.baseUrl,
    ...(session.profileName ? { profile: session.profileName } : {}),
    policyFile: source.file,
    policyHash: createHash('sha256').update(source.text).digest('hex').slice(0, 16),
    policy: source.policy,
    rules: read.desired.rules,
    customersCovered: read.desired.wants.size,
    notes: read.desired.notes,
    check,
    ...read.plan,
    state: read.state,
    apiCalls: metrics.calls,
    ...(metrics.dayRemaining === undefined ? {} : { dayRemaining: metrics.dayRemaining }),
    ...(metrics.dayLimit === undefined ? {} : { dayLimit: metrics.dayLimit }),
  };
}

export async function run(ctx: Context, options: PlanOptions): Promise<PlanResult> {
  const source = readPolicy(ctx, options.file);
  const session = policySession(ctx, source.policy);
  const read = await readState(ctx, session, source.policy, options);
  const result = planResult(ctx, session, read, source, Boolean(options.check));
  if (options.out) {
    writeSavedPlan(options.out, result);
    result.savedTo = options.out;
  }
  if (options.check) {
    if (result.undecided) {
      throw new CliError(
        `Cannot check the policy: ${result.undecided.reason}; the state of ${plural(result.undecided.customers, 'customer')} is unknown.`,
        ExitCode.failure,
        {
          code: 'state_unknown',
          hint: "'msp-license doctor' shows what this gateway answers; nothing was guessed.",
        },
      );
    }
    // One line per drifted customer on stderr (cron mails it), under --quiet too (the documented
    // cron form): it is the answer. The whole diff is in --json.
    for (const d of result.drift) ctx.io.answer(driftLine(d));
  }
  return result;
}

/** `plan --check`: exit 10 when the estate has drifted from the policy. */
export function exitCode(result: PlanResult): number | undefined {
  return result.check && !result.inSync ? ExitCode.drift : undefined;
}

/** The plan is the answer: printed under --quiet too (but --check says only what drifted). */
export const answers = (result: PlanResult): boolean => !result.check;
