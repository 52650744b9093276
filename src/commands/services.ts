import type { Context } from '../context.js';
import { type CachedService, loadServices } from './shared/data.js';

export interface ServicesResult {
  services: CachedService[];
  fromCache: boolean;
  fetchedAt: string;
}

export async function run(
  ctx: Context,
  options: { refresh?: boolean; all?: boolean },
): Promise<ServicesResult> {
  const session = ctx.session();
  const loaded = await loadServices(ctx, session, Boolean(options.refresh));
  const services = options.all ? loaded.data : loaded.data.filter((s) => s.central);
  return { services, fromCache: loaded.fromCache, fetchedAt: new Date(loaded.fetchedAt).toISOString() };
}

export function render(result: ServicesResult, ctx: Context): void {
  const { io } = ctx;
  const width = Math.max(7, ...result.services.map((s) => s.name.length));
  io.out(`${'SERVICE'.padEnd(width)}  ${'CATEGORY'.padEnd(14)}  DEVICE TYPE`);
  for (const s of result.services) {
    io.out(`${s.name.padEnd(width)}  ${(s.category ?? '-').padEnd(14)}  ${s.deviceType ?? '-'}`);
  }
  io.info(
    io.style(
      'dim',
      `${result.services.length} services${result.fromCache ? ` (cached ${result.fetchedAt}; --refresh to fetch again)` : ''}`,
    ),
  );
}

/** A list or report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;
