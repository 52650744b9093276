import type { Context } from '../context.js';
import { isoTime } from '../core/text.js';
import type { ServicesOptions } from '../flags.js';
import { plural, table } from '../ui/format.js';
import { type CachedService, loadServices } from './shared/data.js';

export interface ServicesResult {
  services: CachedService[];
  fromCache: boolean;
  fetchedAt: string;
}

export async function run(ctx: Context, options: ServicesOptions): Promise<ServicesResult> {
  const session = ctx.session();
  const loaded = await loadServices(ctx, session, Boolean(options.refresh));
  const services = options.all ? loaded.data : loaded.data.filter((s) => s.central);
  return { services, fromCache: loaded.fromCache, fetchedAt: isoTime(loaded.fetchedAt) };
}

export function render(result: ServicesResult, ctx: Context): void {
  const { io } = ctx;
  const rows = result.services.map((s) => [s.name, s.category ?? '-', s.deviceType ?? '-']);
  const columns = [{ header: 'SERVICE' }, { header: 'CATEGORY', min: 14 }, { header: 'DEVICE TYPE' }];
  for (const line of table(rows, columns)) io.out(line);
  io.info(
    io.style(
      'dim',
      `${plural(result.services.length, 'service')}${result.fromCache ? ` (cached ${result.fetchedAt}; --refresh to fetch again)` : ''}`,
    ),
  );
}

/** A list or report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;
