// What msp-license has learned about this gateway's answers where the public sources leave it
// open (docs/central-contract.md, "Unknowns"): found by `msp-license doctor`, or noticed during a
// run (stats that ignore TenantID), kept per profile beside the other caches.
import type { StatsFilter } from '../../central/api.js';
import { writeCache } from '../../config/cache.js';
import type { Context, Session } from '../../context.js';
import { cacheKey, readGatewayCache } from './data.js';

export interface GatewayFacts {
  /** Does `TenantID` scope `subscriptions/stats` to one tenant? */
  tenantStats?: 'scoped' | 'ignored';
  /** The stats parameter that filters by service (`both` when not known). */
  statsFilter?: Exclude<StatsFilter, 'both'>;
  /** Are the MSP's own devices counted in the MSP-wide `non_subscribed_devices`? */
  mspInWide?: boolean;
  /** Who found each fact out: `doctor` or `run`. */
  source?: Record<string, 'doctor' | 'run'>;
}

const NAME = 'facts';

export function loadFacts(ctx: Context, session: Session): GatewayFacts {
  return readGatewayCache<GatewayFacts>(ctx, session, NAME);
}

export function saveFacts(
  ctx: Context,
  session: Session,
  learned: Partial<GatewayFacts>,
  source: 'doctor' | 'run',
): GatewayFacts {
  const facts = { ...loadFacts(ctx, session) };
  const by = { ...facts.source };
  for (const [key, value] of Object.entries(learned)) {
    if (key === 'source' || value === undefined) continue;
    (facts as Record<string, unknown>)[key] = value;
    by[key] = source;
  }
  facts.source = by;
  writeCache(ctx.dir, cacheKey(session), NAME, session.baseUrl, facts);
  return facts;
}
