import { randomUUID } from 'node:crypto';
// startSandbox: a simulated Aruba Central API gateway on loopback.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthStore } from './auth.js';
import { AutoLicensing } from './autolicense.js';
import type { Ctx, ReplayFile, World } from './context.js';
import { handleControl } from './control.js';
import { type Estate, generateEstate } from './estate.js';
import { type FaultSpec, Faults } from './faults.js';
import { header, invalidToken, json, parseJson, queryObject, type Reply, readBody, send } from './http.js';
import { JobEngine } from './jobs.js';
import { type LogEntry, RequestLog } from './log.js';
import { RateLimiter } from './rate-limit.js';
import { handleApi } from './routes-api.js';
import { handleOAuth, isOAuthPath } from './routes-oauth.js';
import { DEFAULT_VARIANTS, type Variants } from './variants.js';

export type { ReplayFile } from './context.js';
export type { Customer, Device, Estate } from './estate.js';
export type { FaultSpec } from './faults.js';
export type { JobInfo } from './jobs.js';
export type { LogEntry } from './log.js';
export { eligible } from './services.js';
export type { Variants } from './variants.js';

export interface SandboxOptions {
  host?: string;
  port?: number;
  seed?: number;
  customers?: number;
  devices?: number;
  mspDevices?: number;
  customerNames?: string[];
  licenses?: number | Record<string, number>;
  /** Share of devices already holding their foundation license at start (0..1), default 0.1. */
  preLicensed?: number;
  jobSpeed?: number;
  tokenTtlSeconds?: number;
  rateLimit?: { perSecond?: number; perDay?: number; enforce?: boolean };
  maxPageSize?: number;
  maxIdsPerRequest?: number;
  /** Shorthand for `variants.servicesV2: 'ok'` (the documented v2 services path answers). */
  servicesV2?: boolean;
  servicesWrapped?: boolean;
  /** The switches for what Central is not known to do one way or the other. */
  variants?: Partial<Variants>;
  /** Serve these recorded answers (from `doctor --record`) for the API; OAuth stays simulated. */
  replay?: ReplayFile;
  faults?: FaultSpec;
  /** Default true. With `quiet: false`, one line per API call goes to stderr. */
  quiet?: boolean;
}

export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  username: string;
  password: string;
  /** The MSP's own customer id. */
  customerId: string;
}

export interface Sandbox {
  url: string;
  port: number;
  credentials: SandboxCredentials;
  estate: Estate;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const estate = generateEstate(options);
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
  const auth = new AuthStore({
    clientId: 'sandbox-' + estate.mspId.slice(0, 12),
    clientSecret: 'sandbox-secret-' + estate.mspId.slice(12, 32),
    username: 'admin@sandbox.example',
    password: 'sandbox-password',
    customerId: estate.mspId,
    tokenTtlSeconds,
  });
  const jobs = new JobEngine(estate, options.jobSpeed ?? 500);
  const world: World = {
    estate,
    auth,
    jobs,
    autolicense: new AutoLicensing(estate, jobs),
    limiter: new RateLimiter(options.rateLimit),
    faults: new Faults(options.faults),
    log: new RequestLog(),
    settings: {
      maxPageSize: options.maxPageSize ?? 100,
      maxIdsPerRequest: options.maxIdsPerRequest ?? 500,
      servicesWrapped: options.servicesWrapped ?? false,
      variants: {
        ...DEFAULT_VARIANTS,
        ...(options.servicesV2 ? { servicesV2: 'ok' as const } : {}),
        ...options.variants,
      },
      conflictsServed: 0,
    },
    ...(options.replay ? { replay: options.replay } : {}),
  };
  const quiet = options.quiet ?? true;
  const pair = auth.mint();

  const server = createServer((req, res) => {
    handle(world, req, res, quiet).catch((err: unknown) => {
      if (!res.headersSent) send(res, json(500, { message: 'An unexpected error occurred' }));
      if (!quiet) process.stderr.write(`sandbox: ${String(err)}\n`);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    credentials: {
      clientId: auth.config.clientId,
      clientSecret: auth.config.clientSecret,
      accessToken: pair.access_token,
      refreshToken: pair.refresh_token,
      expiresIn: pair.expires_in,
      username: auth.config.username,
      password: auth.config.password,
      customerId: estate.mspId,
    },
    estate,
    close: () =>
      new Promise<void>((resolve) => {
        world.jobs.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  world: World,
  req: IncomingMessage,
  res: ServerResponse,
  quiet: boolean,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const method = (req.method ?? 'GET').toUpperCase();
  const rawBody = await readBody(req);
  const ctx: Ctx = {
    req,
    method,
    path: url.pathname,
    query: url.searchParams,
    body: parseJson(rawBody),
    rawBody,
    world,
  };

  if (ctx.path.startsWith('/__sandbox')) {
    send(res, handleControl(ctx));
    return;
  }

  const started = Date.now();
  const entry: LogEntry = { t: started, method, path: ctx.path, query: queryObject(ctx.query), status: 0 };
  const tenant = header(req, 'tenantid');
  if (tenant !== undefined) entry.tenant = tenant;
  if (method !== 'GET' && method !== 'HEAD' && rawBody !== '') {
    entry.body = ctx.body.ok ? ctx.body.value : rawBody;
  }
  world.log.add(entry);

  const rate = world.limiter.take();
  const fault = world.faults.take(method + ' ' + ctx.path);
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);

  if (fault.kind === 'reset') {
    req.socket.destroy();
    if (!quiet) process.stderr.write(`${method} ${ctx.path} reset\n`);
    return;
  }
  const reply = rate.allowed ? (faultReply(fault.kind) ?? route(ctx)) : rateLimited();
  entry.status = reply.status;
  if (!quiet) process.stderr.write(`${method} ${ctx.path} ${reply.status} ${Date.now() - started}ms\n`);
  // Every API answer carries a request id, as gateways do; the CLI records the license job's.
  send(res, reply, { ...rate.headers, 'X-Request-Id': randomUUID() });
}

function rateLimited(): Reply {
  return json(429, { message: 'API rate limit exceeded' });
}

function faultReply(kind: string | undefined): Reply | undefined {
  switch (kind) {
    case 'status429':
      return rateLimited();
    case 'status5xx':
      return json(500, { message: 'An unexpected error occurred' });
    case 'plain503':
      return { status: 503, text: 'upstream connect error or disconnect/reset before headers' };
    default:
      return undefined;
  }
}

function route(ctx: Ctx): Reply {
  if (isOAuthPath(ctx.path)) return handleOAuth(ctx);
  const authz = header(ctx.req, 'authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(authz.trim());
  if (!m || !ctx.world.auth.isValidAccess(m[1] as string)) return invalidToken();
  return ctx.world.replay ? replayed(ctx, ctx.world.replay) : handleApi(ctx);
}

/**
 * A recorded answer for this request: the same method, path, TenantID and query; else the same
 * method and path (the first recorded); else a 404 in Central's shape.
 */
function replayed(ctx: Ctx, replay: ReplayFile): Reply {
  const tenant = header(ctx.req, 'tenantid');
  const query = JSON.stringify(Object.fromEntries([...ctx.query.entries()].sort()));
  const samePath = replay.exchanges.filter((e) => e.method === ctx.method && e.path === ctx.path);
  const exact =
    samePath.find(
      (e) =>
        (e.tenant ?? undefined) === tenant &&
        JSON.stringify(Object.fromEntries(Object.entries(e.query).sort())) === query,
    ) ?? samePath.find((e) => (e.tenant ?? undefined) === tenant);
  const hit = exact ?? samePath[0];
  if (!hit)
    return json(404, {
      description: 'Not found (not in the recording)',
      error_code: '0404',
      service_name: 'replay',
    });
  return json(hit.status, hit.body);
}
