// A policy resolved against the customers list and the services list: per customer, per service,
// what must hold (present or absent, auto-licensing on, off or no opinion) and which rule says so.
// Pure. Overlaps (two rules for one customer and service) and contradictions (present and absent)
// are errors naming both rules.
import type { CustomerRef } from '../core/customers.js';
import { resolveReferences, type SelectableCustomer, type SelectorMatch } from '../core/selectors.js';
import { matchServices } from '../core/services.js';
import { CliError, UsageError } from '../errors.js';
import type { Policy } from './parse.js';

export interface Want {
  state: 'present' | 'absent';
  /** Auto-licensing: on, off, or no opinion (undefined). `absent` implies off. */
  auto?: boolean;
  /** Index of the rule that says so. */
  rule: number;
}

export interface ResolvedRule {
  index: number;
  label: string;
  services: string[];
  state: 'present' | 'absent';
  auto?: boolean;
  customers: number;
  selectors: SelectorMatch[];
  /** For `except`: what each exception matched. */
  exceptSelectors?: SelectorMatch[];
}

export interface Desired {
  rules: ResolvedRule[];
  /** customer id → service → what must hold. Only customers some rule covers. */
  wants: Map<string, Map<string, Want>>;
  customers: Map<string, CustomerRef>;
  /** Every service some rule names, in first-named order. */
  services: string[];
  notes: string[];
}

const HINT = 'Each customer may be under one rule per service: narrow a rule with except, or split it.';

function withRule<T>(label: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CliError) {
      throw new UsageError(`${label}: ${error.message}`, {
        code: error.code,
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
    throw error;
  }
}

/** Service kinds that exist in two tiers (foundation_ap / advanced_ap, foundation_70xx / advance_70xx). */
export function tierKind(service: string): { tier: 'foundation' | 'advanced'; kind: string } | undefined {
  const m = /^(foundation|advanced?)_(.+)$/.exec(service);
  if (!m) return undefined;
  return { tier: m[1] === 'foundation' ? 'foundation' : 'advanced', kind: m[2] as string };
}

export function resolvePolicy(
  policy: Policy,
  customers: SelectableCustomer[],
  knownServices: string[],
): Desired {
  const wants = new Map<string, Map<string, Want>>();
  const named = new Map<string, CustomerRef>();
  const rules: ResolvedRule[] = [];
  const services: string[] = [];
  // Overlaps found, per pair of rules: the service and a few customers, for one message each.
  const clashes = new Map<
    string,
    { a: number; b: number; service: string; names: string[]; count: number; contradiction: boolean }
  >();

  policy.rules.forEach((rule, index) => {
    const matched = withRule(rule.label, () => matchServices(rule.services, knownServices));
    for (const s of matched) if (!services.includes(s)) services.push(s);
    let covered: CustomerRef[];
    let selectors: SelectorMatch[] = [];
    let exceptSelectors: SelectorMatch[] | undefined;
    if (rule.customers === 'all') {
      const except = rule.except?.length
        ? withRule(rule.label, () => resolveReferences(rule.except ?? [], customers))
        : undefined;
      const out = new Set(except?.customers.map((c) => c.id));
      covered = customers.filter((c) => !out.has(c.id)).map(({ id, name }) => ({ id, name }));
      selectors = [{ selector: 'all', matched: customers.length }];
      if (except) exceptSelectors = except.selectors;
    } else {
      const r = withRule(rule.label, () => resolveReferences(rule.customers as string[], customers));
      covered = r.customers;
      selectors = r.selectors;
    }
    const auto = rule.state === 'absent' ? false : rule.auto;
    for (const c of covered) {
      named.set(c.id, c);
      let map = wants.get(c.id);
      if (!map) {
        map = new Map();
        wants.set(c.id, map);
      }
      for (const service of matched) {
        const before = map.get(service);
        if (before) {
          const key = `${before.rule}:${index}`;
          const clash = clashes.get(key) ?? {
            a: before.rule,
            b: index,
            service,
            names: [],
            count: 0,
            contradiction: before.state !== rule.state,
          };
          clash.count++;
          if (clash.names.length < 3) clash.names.push(`"${c.name}"`);
          clashes.set(key, clash);
          continue;
        }
        map.set(service, { state: rule.state, ...(auto === undefined ? {} : { auto }), rule: index });
      }
    }
    rules.push({
      index,
      label: rule.label,
      services: matched,
      state: rule.state,
      ...(auto === undefined ? {} : { auto }),
      customers: covered.length,
      selectors,
      ...(exceptSelectors ? { exceptSelectors } : {}),
    });
  });

  if (clashes.size) {
    const list = [...clashes.values()].slice(0, 5).map((c) => {
      const a = policy.rules[c.a]!.label;
      const b = policy.rules[c.b]!.label;
      const who = `${c.count} customer${c.count === 1 ? '' : 's'} (${c.names.join(', ')}${c.count > c.names.length ? ', …' : ''})`;
      return c.contradiction
        ? `${a} wants ${c.service} ${policy.rules[c.a]!.state} and ${b} wants it ${policy.rules[c.b]!.state} for ${who}`
        : `${a} and ${b} both set ${c.service} for ${who}`;
    });
    const contradiction = [...clashes.values()].some((c) => c.contradiction);
    throw new UsageError(
      `${contradiction ? 'The policy contradicts itself' : 'Rules overlap'}: ${list.join('; ')}${clashes.size > 5 ? `; and ${clashes.size - 5} more` : ''}.`,
      { code: 'policy_conflict', hint: HINT },
    );
  }

  // Both tiers of one kind present for the same customer: no public source says whether one device
  // holds both (docs/central-contract.md); the plan treats them as independent services.
  const notes: string[] = [];
  const both = new Set<string>();
  for (const map of wants.values()) {
    const present = [...map].filter(([, w]) => w.state === 'present').map(([s]) => s);
    for (const s of present) {
      const t = tierKind(s);
      if (t?.tier !== 'foundation') continue;
      const adv = present.find((o) => tierKind(o)?.tier === 'advanced' && tierKind(o)?.kind === t.kind);
      if (adv) both.add(`${s} + ${adv}`);
    }
  }
  for (const pair of both) {
    notes.push(
      `${pair}: some customers are to hold both tiers. No public source says whether one device holds a foundation and an advanced license of one kind at once; they are planned as independent services (docs/policy.md).`,
    );
  }
  return { rules, wants, customers: named, services, notes };
}
