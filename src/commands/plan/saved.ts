// plan --out PLAN.json and apply PLAN.json: the saved plan, and the state it was made from (a
// fingerprint of what was read per customer) that `apply` compares with the state now to refuse a
// stale plan, as `terraform apply` does with a plan file. planState and staleCustomers are pure.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../config/fs-private.js';
import { isRecord } from '../../core/json.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import type { Observed } from '../../policy/plan.js';
import type { Desired, Want } from '../../policy/resolve.js';
import { plural } from '../../ui/format.js';
import type { PlanResult } from '../plan.js';

export const PLAN_KIND = 'msp-license-plan';

/** The state a plan was made from: what `apply PLAN.json` compares to refuse a stale plan. */
export interface PlanState {
  fingerprint: string;
  /** customer id → `service=licensed/unlicensed` and `service:state[+auto|-auto]` entries. */
  customers: Record<string, string>;
}

const wantText = (service: string, w: Pick<Want, 'state' | 'auto'>) =>
  `${service}:${w.state}${w.auto === undefined ? '' : w.auto ? '+auto' : '-auto'}`;

/** Per covered customer (sorted), what the policy wants and what was read; and their hash. */
export function planState(desired: Pick<Desired, 'wants'>, observed: Observed): PlanState {
  const customers: Record<string, string> = {};
  for (const [id, wants] of [...desired.wants].sort(([a], [b]) => a.localeCompare(b))) {
    const parts: string[] = [];
    const counts = observed.counts?.get(id);
    const auto = observed.auto.get(id);
    for (const [service, want] of [...wants].sort(([a], [b]) => a.localeCompare(b))) {
      const c = counts?.get(service);
      parts.push(wantText(service, want), `${service}=${c ? `${c.licensed}/${c.unlicensed}` : '?'}`);
    }
    if (auto !== undefined) parts.push(`auto=${auto === null ? '?' : [...auto].sort().join('+')}`);
    customers[id] = parts.join(' ');
  }
  const fingerprint = createHash('sha256').update(JSON.stringify(customers)).digest('hex');
  return { fingerprint, customers };
}

/** The customers whose state differs between `saved` and `now`, as `name (id)`. */
export function staleCustomers(saved: PlanState, now: PlanState, names: Map<string, string>): string[] {
  const out: string[] = [];
  const ids = new Set([...Object.keys(saved.customers), ...Object.keys(now.customers)]);
  for (const id of ids) {
    if (saved.customers[id] !== now.customers[id]) out.push(`${names.get(id) ?? id} (${id})`);
  }
  return out;
}

/**
 * Refuses (exit 1, nothing sent) a saved plan whose state is not the state now, or that now leaves
 * more devices unlicensed for want of licenses than the plan showed (the free licenses were used
 * elsewhere since: the plan was approved on a premise that no longer holds).
 */
export function refuseStale(
  saved: PlanResult,
  now: Pick<PlanResult, 'state' | 'shortfall'>,
  names: Map<string, string>,
  planFile: string | undefined,
): void {
  const stale = (what: string) =>
    new CliError(`The saved plan is stale: ${what}. Nothing was sent.`, ExitCode.failure, {
      code: 'stale_plan',
      hint: `Make a new plan: msp-license plan -f ${saved.policyFile} --out ${planFile}`,
    });
  if (saved.state.fingerprint !== now.state.fingerprint) {
    const changed = staleCustomers(saved.state, now.state, names);
    throw stale(
      `the state it was made from has changed for ${plural(changed.length, 'customer')} (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''})`,
    );
  }
  const shorter = now.shortfall.filter(
    (s) => s.short > (saved.shortfall.find((was) => was.service === s.service)?.short ?? 0),
  );
  if (shorter.length) {
    throw stale(
      `fewer licenses are free than it showed: ${shorter.map((s) => `${s.service}: ${plural(s.short, 'device')} of ${s.needed} would stay unlicensed (${s.available} licenses available)`).join('; ')}`,
    );
  }
}

/** Whether a parsed JSON value is a plan `plan --out` saved (this version). */
export const isSavedPlan = (value: unknown): boolean =>
  isRecord(value) && value.kind === PLAN_KIND && value.version === 1 && isRecord(value.state);

/** Saves the plan atomically (readers see the old file or the new); exit 1 naming the path. */
export function writeSavedPlan(file: string, result: PlanResult): void {
  try {
    writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    throw new CliError(
      `Cannot write the plan to '${file}' (${(error as NodeJS.ErrnoException).code ?? error}).`,
      ExitCode.failure,
      {
        code: 'config',
        hint: 'Give a path in a writable directory.',
      },
    );
  }
}

/** A saved plan from its file; a UsageError (exit 2) unless it is one. */
export function readSavedPlan(file: string): PlanResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read the plan '${file}' (${code ?? 'not JSON'}).`, {
      hint: "Save a plan with 'msp-license plan -f POLICY --out FILE', or give the policy with -f.",
    });
  }
  if (!isSavedPlan(value)) {
    throw new UsageError(`'${file}' is not a plan saved by 'msp-license plan --out'.`, {
      hint: 'A policy file is given with -f: msp-license apply -f FILE.',
    });
  }
  return value as PlanResult;
}
