// /__sandbox/*: the test and operator controls (no auth, no rate limit, not logged).

import type { Ctx } from './context.js';
import { json, type Reply } from './http.js';

export function handleControl(ctx: Ctx): Reply {
  const { world } = ctx;
  const route = ctx.method + ' ' + ctx.path.replace(/\/+$/, '');
  switch (route) {
    case 'GET /__sandbox/log':
      return json(200, world.log.snapshot());
    case 'DELETE /__sandbox/log':
      world.log.clear();
      return json(200, { cleared: true });
    case 'GET /__sandbox/state':
      return json(200, state(ctx, ctx.query.get('perCustomer') === '1'));
    case 'GET /__sandbox/faults':
      return json(200, world.faults.current);
    case 'POST /__sandbox/faults':
      if (!ctx.body.ok) return json(400, { message: 'Invalid JSON body' });
      return json(200, world.faults.replace(ctx.body.value ?? {}));
    case 'POST /__sandbox/expire-tokens':
      world.auth.expireAll();
      return json(200, { expired: true });
    case 'POST /__sandbox/revoke-refresh':
      world.auth.revokeRefresh();
      return json(200, { revoked: true });
    case 'POST /__sandbox/tokens': {
      const { access_token, refresh_token, expires_in } = world.auth.mint();
      return json(200, { access_token, refresh_token, expires_in });
    }
    default:
      return json(404, { message: `No sandbox control at ${route}` });
  }
}

function state(ctx: Ctx, perCustomer: boolean): unknown {
  const { estate, jobs } = ctx.world;
  const services: Record<string, unknown> = {};
  for (const [name, pool] of estate.pools) {
    const all = estate.totalCounter(name);
    const tenants = estate.counter(name);
    services[name] = {
      quantity: pool.quantity,
      available: Math.max(0, pool.quantity - pool.used),
      licensed: all.licensed,
      eligible: all.eligible,
      tenantLicensed: tenants.licensed,
      tenantEligible: tenants.eligible,
    };
  }
  const out: Record<string, unknown> = {
    customers: estate.customers.length,
    devices: estate.devices.length,
    tenantDevices: estate.tenantDeviceCount,
    mspDevices: estate.mspDevices.length,
    mspId: estate.mspId,
    services,
    jobs: jobs.list(),
  };
  if (perCustomer) {
    const per: Record<string, Record<string, { eligible: number; licensed: number }>> = {};
    for (const id of estate.devicesByCustomer.keys()) {
      const entry: Record<string, { eligible: number; licensed: number }> = {};
      for (const [s, c] of estate.customerCounters(id) ?? []) {
        if (c.eligible > 0 || c.licensed > 0) entry[s] = { eligible: c.eligible, licensed: c.licensed };
      }
      per[id] = entry;
    }
    out.perCustomer = per;
  }
  return out;
}
