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
    case 'POST /__sandbox/customers': {
      // A tenant created now: it inherits the MSP's auto-licensing setting.
      const body = (ctx.body.ok ? ctx.body.value : undefined) as
        | { name?: unknown; group?: unknown }
        | undefined;
      if (typeof body?.name !== 'string' || body.name === '')
        return json(400, { message: 'name is required' });
      const customer = world.estate.newCustomer(
        body.name,
        typeof body.group === 'string' ? body.group : undefined,
      );
      world.autolicense.inherit(customer.customer_id);
      return json(200, customer);
    }
    case 'POST /__sandbox/devices': {
      // Devices that appear now in a customer's inventory (auto-licensed if it has that on).
      const body = (ctx.body.ok ? ctx.body.value : undefined) as
        | { customer_id?: unknown; count?: unknown; device_type?: unknown }
        | undefined;
      const id = body?.customer_id;
      if (typeof id !== 'string' || !world.estate.devicesByCustomer.has(id)) {
        return json(400, { message: 'customer_id must name a customer (or the MSP)' });
      }
      const count = typeof body?.count === 'number' && body.count > 0 ? Math.min(body.count, 10_000) : 1;
      const type =
        body?.device_type === 'SWITCH' || body?.device_type === 'CONTROLLER' ? body.device_type : 'IAP';
      const devices = Array.from({ length: count }, () => {
        const device = world.estate.newDevice(id, type);
        world.autolicense.deviceAdded(device);
        return { serial: device.serial, services: device.services };
      });
      return json(200, { devices });
    }
    case 'POST /__sandbox/customer-group': {
      // A customer moved to another group (as an operator does in Central's UI).
      const body = (ctx.body.ok ? ctx.body.value : undefined) as
        | { customer_id?: unknown; group?: unknown }
        | undefined;
      const customer =
        typeof body?.customer_id === 'string' ? world.estate.customerById.get(body.customer_id) : undefined;
      if (!customer) return json(400, { message: 'customer_id must name a customer' });
      if (typeof body?.group !== 'string' || body.group === '')
        return json(400, { message: 'group is required' });
      customer.group = { name: body.group, id: customer.group.id };
      customer.updated_at = Math.floor(Date.now() / 1000);
      return json(200, customer);
    }
    case 'POST /__sandbox/revoke': {
      // Licenses removed from a customer's devices outside the tool (Central's UI): `count` devices
      // holding `service` lose it, and its license goes back to the pool.
      const body = (ctx.body.ok ? ctx.body.value : undefined) as
        | { customer_id?: unknown; service?: unknown; count?: unknown }
        | undefined;
      const devices =
        typeof body?.customer_id === 'string'
          ? world.estate.devicesByCustomer.get(body.customer_id)
          : undefined;
      if (!devices) return json(400, { message: 'customer_id must name a customer (or the MSP)' });
      if (typeof body?.service !== 'string') return json(400, { message: 'service is required' });
      const wanted = typeof body.count === 'number' && body.count > 0 ? body.count : 1;
      let revoked = 0;
      for (const device of devices) {
        if (revoked >= wanted) break;
        if (world.estate.revoke(device, body.service)) revoked++;
      }
      return json(200, { revoked });
    }
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
    autolicense: {
      mspDefault: [...ctx.world.autolicense.mspDefault].sort(),
      customers: Object.fromEntries(
        estate.customers.map((c) => [c.customer_id, ctx.world.autolicense.servicesOf(c.customer_id)]),
      ),
    },
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
