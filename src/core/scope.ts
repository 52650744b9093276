// Scope: who a license job touches, and how it is split into requests. Pure.
import { UsageError } from '../errors.js';
import type { CustomerRef } from './customers.js';

export type ScopeMode = 'include' | 'exclude' | 'all';

export interface ScopeFlags {
  include?: string[];
  exclude?: string[];
  includeFile?: string;
  excludeFile?: string;
  allCustomers?: boolean;
}

/** The scope guard: the API's "neither include nor exclude" means every customer, so that needs a flag of its own. */
export function scopeMode(flags: ScopeFlags): ScopeMode {
  const include = Boolean(flags.include?.length || flags.includeFile);
  const exclude = Boolean(flags.exclude?.length || flags.excludeFile);
  if (include && exclude) {
    throw new UsageError('--include and --exclude cannot be combined.', {
      hint: 'Use --include for only some customers, or --exclude for all but some.',
    });
  }
  if (flags.allCustomers && (include || exclude)) {
    throw new UsageError('--all-customers cannot be combined with --include or --exclude.', {
      hint: '--exclude already means "all customers but these".',
    });
  }
  if (include) return 'include';
  if (exclude) return 'exclude';
  if (flags.allCustomers) return 'all';
  throw new UsageError('No scope: say which customers.', {
    code: 'missing_scope',
    hint: 'Use --include ID|NAME,..., --exclude ID|NAME,..., or --all-customers for every customer of the MSP.',
  });
}

export interface Scope {
  mode: ScopeMode;
  /** The customers named on the command line (included or excluded); empty for 'all'. */
  listed: CustomerRef[];
  /** Every customer the job will touch. */
  inScope: CustomerRef[];
}

export function buildScope(mode: ScopeMode, listed: CustomerRef[], all: CustomerRef[]): Scope {
  if (mode === 'include') return { mode, listed, inScope: listed };
  if (mode === 'all') return { mode, listed: [], inScope: all };
  const excluded = new Set(listed.map((c) => c.id));
  return { mode, listed, inScope: all.filter((c) => !excluded.has(c.id)) };
}

export interface JobRequest {
  include?: string[];
  exclude?: string[];
}

export interface RequestPlan {
  strategy: 'all' | 'include' | 'exclude' | 'complement';
  requests: JobRequest[];
}

/**
 * How to send the scope. An include list is split into chunks; an exclude list is never split
 * (each request would license the other requests' exclusions), so one larger than a request can
 * carry becomes the complement include list, which is chunked. With `explicitOnly` (unassign)
 * every customer in scope is named: the API's implicit scopes (no list, or an exclude list) can
 * reach the MSP's own devices when removing licenses.
 */
export function planRequests(
  scope: Scope,
  maxIds: number,
  options: { explicitOnly?: boolean } = {},
): RequestPlan {
  if (maxIds < 1) throw new UsageError('--chunk-size must be at least 1.');
  if (scope.mode === 'all' && !options.explicitOnly) return { strategy: 'all', requests: [{}] };
  if (scope.mode === 'exclude' && scope.listed.length <= maxIds && !options.explicitOnly) {
    return { strategy: 'exclude', requests: [{ exclude: scope.listed.map((c) => c.id) }] };
  }
  const ids = scope.inScope.map((c) => c.id);
  const requests = chunk(ids, maxIds).map((include) => ({ include }));
  return { strategy: scope.mode === 'include' ? 'include' : 'complement', requests };
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A request the server refused as too large (413/417), halved; undefined when it cannot shrink. */
export function halve(request: JobRequest): JobRequest[] | undefined {
  const ids = request.include;
  if (!ids || ids.length < 2) return undefined;
  const middle = Math.ceil(ids.length / 2);
  return [{ include: ids.slice(0, middle) }, { include: ids.slice(middle) }];
}
