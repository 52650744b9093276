// The policy file: YAML or JSON (JSON is read by the same YAML 1.2 parser, so both get line
// numbers), checked with zod; every error names its line. Loaded only by plan and apply (the
// yaml package is its own chunk, loaded through src/vendor.ts: never at start-up).
import type { Document, LineCounter, Node } from 'yaml';
import type * as Zod from 'zod';
import { UsageError } from '../errors.js';
import { vendor } from '../vendor.js';

/** Built on first use: zod is loaded by the plan and apply commands only (src/vendor.ts). */
function buildSchemas(z: typeof import('zod').z) {
  const reference = z.string().trim().min(1, 'an empty customer reference');

  const rule = z
    .strictObject({
      name: z.string().trim().min(1).optional(),
      services: z
        .array(z.string().trim().min(1, 'an empty service name'))
        .min(1, 'name at least one service'),
      customers: z.union([
        z.literal('all'),
        z.array(reference).min(1, "name at least one customer, or write 'all'"),
      ]),
      except: z.array(reference).optional(),
      state: z.enum(['present', 'absent']).default('present'),
      auto: z.boolean().optional(),
    })
    .superRefine((rule, issue) => {
      if (rule.state === 'absent' && rule.auto === true) {
        issue.addIssue({
          code: 'custom',
          path: ['auto'],
          message: 'auto: true keeps licensing new devices, which contradicts state: absent',
        });
      }
      if (rule.except && rule.customers !== 'all') {
        issue.addIssue({
          code: 'custom',
          path: ['except'],
          message: 'except applies to customers: all (list the customers you mean instead)',
        });
      }
    });

  const policy = z.strictObject({
    version: z.literal(1).optional(),
    profile: z.string().trim().min(1).optional(),
    rules: z.array(rule).min(1, 'a policy needs at least one rule'),
  });
  return { rule, policy };
}

let schemas: ReturnType<typeof buildSchemas> | undefined;
function policySchema() {
  schemas ??= buildSchemas(vendor<typeof import('zod')>('zod').z);
  return schemas.policy;
}

export type PolicyRule = Zod.infer<ReturnType<typeof buildSchemas>['rule']>;

export interface Policy {
  profile?: string;
  rules: Array<PolicyRule & { line: number; label: string }>;
}

/** A rule as people name it in messages: `rule 2 "Gold" (line 7)`. */
export function ruleLabel(index: number, name: string | undefined, line: number): string {
  return `rule ${index + 1}${name ? ` "${name}"` : ''} (line ${line})`;
}

const HINT = "The format: docs/policy.md (README, 'Licensing as code').";

/** The line of the node at `path`, or of its nearest parent that exists. */
function lineOf(doc: Document, counter: LineCounter, path: PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true)) as
      | Node
      | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

/**
 * A policy from its text, or a UsageError (exit 2) naming the file, the line and the problem.
 * Duplicate keys, bad indentation, unknown keys and wrong types are all refused.
 */
export function parsePolicy(text: string, file: string): Policy {
  const { isMap, isSeq, LineCounter, parseDocument } = vendor<typeof import('yaml')>('yaml');
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line ?? 1;
    const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new UsageError(`${file}:${line}: ${message}.`, { code: 'policy_syntax', hint: HINT });
  }
  const value = doc.toJS() as unknown;
  const parsed = policySchema().safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => {
      const line = lineOf(doc, counter, issue.path);
      const where = issue.path.length ? ` ${issue.path.map(String).join('.')}` : '';
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
          : issue.message;
      return `${file}:${line}:${where} ${message}`;
    });
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new UsageError(`Invalid policy: ${problems.join('; ')}${more}.`, {
      code: 'policy_invalid',
      hint: HINT,
    });
  }
  const rulesNode = doc.get('rules', true);
  const rules = parsed.data.rules.map((rule, i) => {
    const node = isSeq(rulesNode) ? (rulesNode.items[i] as Node | undefined) : undefined;
    const line = node?.range ? counter.linePos(node.range[0]).line : 1;
    return { ...rule, line, label: ruleLabel(i, rule.name, line) };
  });
  if (!isMap(doc.contents)) throw new UsageError(`${file}:1: the policy must be a mapping.`, { hint: HINT });
  return { ...(parsed.data.profile ? { profile: parsed.data.profile } : {}), rules };
}
