import type { Customer } from '../central/api.js';
import type { Context } from '../context.js';
import { loadCustomers } from './shared/data.js';

export interface CustomersResult {
  customers: Customer[];
  total: number;
  fromCache: boolean;
  fetchedAt: string;
}

export async function run(
  ctx: Context,
  options: { refresh?: boolean; search?: string },
): Promise<CustomersResult> {
  const session = ctx.session();
  const loaded = await loadCustomers(ctx, session, Boolean(options.refresh));
  const needle = options.search?.trim().toLowerCase();
  const customers = needle
    ? loaded.data.filter((c) => c.name.toLowerCase().includes(needle) || c.id.toLowerCase().includes(needle))
    : loaded.data;
  return {
    customers,
    total: loaded.data.length,
    fromCache: loaded.fromCache,
    fetchedAt: new Date(loaded.fetchedAt).toISOString(),
  };
}

export function render(result: CustomersResult, ctx: Context): void {
  const { io } = ctx;
  const rows = result.customers;
  const nameWidth = Math.min(40, Math.max(4, ...rows.map((c) => c.name.length)));
  io.out(`${'CUSTOMER ID'.padEnd(32)}  ${'NAME'.padEnd(nameWidth)}  ${'GROUP'.padEnd(12)}  STATUS`);
  for (const c of rows) {
    io.out(
      `${c.id.padEnd(32)}  ${c.name.padEnd(nameWidth)}  ${(c.groupName ?? '-').padEnd(12)}  ${c.provisionStatus ?? '-'}`,
    );
  }
  const of = rows.length === result.total ? `${rows.length}` : `${rows.length} of ${result.total}`;
  io.info(
    io.style(
      'dim',
      `${of} customers${result.fromCache ? ` (cached ${result.fetchedAt}; --refresh to fetch again)` : ''}`,
    ),
  );
}
