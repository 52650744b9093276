// sandbox: a simulated Central on loopback, for trying the tool, rehearsing cron scripts, and tests.
import { isLoopbackHost } from '../central/url.js';
import type { Profile } from '../config/store.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { type SandboxOptions, startSandbox } from '../sandbox/server.js';

export interface SandboxCommandOptions {
  port: string;
  host: string;
  customers: string;
  devices: string;
  licenses: string;
  jobSpeed: string;
  tokenTtl: string;
  pageSize: string;
  maxIds: string;
  dailyLimit: string;
  rateLimit: boolean;
  servicesV2?: boolean;
  fault429?: string;
  fault5xx?: string;
  latency?: string;
  seed: string;
  writeProfile?: string | boolean;
}

function int(text: string | undefined, flag: string, min = 0): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag}: '${text}' is not a whole number ≥ ${min}.`);
  return n;
}

export async function run(ctx: Context, options: SandboxCommandOptions): Promise<undefined> {
  if (!isLoopbackHost(options.host)) {
    throw new UsageError(`--host ${options.host}: the sandbox only listens on loopback.`, {
      hint: 'Use 127.0.0.1.',
    });
  }
  const sandboxOptions: SandboxOptions = {
    host: options.host,
    port: int(options.port, '--port'),
    customers: int(options.customers, '--customers', 1),
    devices: int(options.devices, '--devices'),
    licenses: int(options.licenses, '--licenses'),
    jobSpeed: int(options.jobSpeed, '--job-speed', 1),
    tokenTtlSeconds: int(options.tokenTtl, '--token-ttl', 1),
    maxPageSize: int(options.pageSize, '--page-size', 1),
    maxIdsPerRequest: int(options.maxIds, '--max-ids', 1),
    seed: int(options.seed, '--seed'),
    rateLimit: { enforce: options.rateLimit !== false, perDay: int(options.dailyLimit, '--daily-limit', 1) },
    servicesV2: Boolean(options.servicesV2),
    faults: {
      ...(options.fault429 ? { status429: int(options.fault429, '--fault-429') } : {}),
      ...(options.fault5xx ? { status5xx: int(options.fault5xx, '--fault-5xx') } : {}),
      ...(options.latency ? { latencyMs: int(options.latency, '--latency') } : {}),
    },
  };
  const sandbox = await startSandbox(sandboxOptions);
  const c = sandbox.credentials;
  let profileName: string | undefined;
  if (options.writeProfile) {
    profileName = typeof options.writeProfile === 'string' ? options.writeProfile : 'sandbox';
    const store = ctx.store();
    const now = new Date().toISOString();
    const profile: Profile = {
      name: profileName,
      baseUrl: sandbox.url,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      accessToken: c.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + c.expiresIn * 1000).toISOString(),
      refreshToken: c.refreshToken,
      refreshTokenIssuedAt: now,
      createdAt: store.getProfile(profileName)?.createdAt ?? now,
      updatedAt: now,
    };
    store.saveProfile(profile, { makeDefault: !store.defaultProfileName() });
  }
  const customers = sandbox.estate.customers.length;
  const devices = sandbox.estate.devices.length;
  if (ctx.io.json) {
    // The sandbox's own, local, throw-away credentials: scripts and tests need them.
    ctx.io.out(
      JSON.stringify({
        url: sandbox.url,
        port: sandbox.port,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        accessToken: c.accessToken,
        refreshToken: c.refreshToken,
        expiresIn: c.expiresIn,
        customers,
        devices,
        ...(profileName ? { profile: profileName } : {}),
      }),
    );
  } else {
    ctx.io.out(`Sandbox Central listening on ${sandbox.url}: ${customers} customers, ${devices} devices.`);
    ctx.io.out(
      profileName
        ? `Profile '${profileName}' written: try  msp-license --profile ${profileName} customers`
        : 'Add --write-profile to get a ready profile (or --json for the credentials).',
    );
    ctx.io.out(
      `Request log: ${sandbox.url}/__sandbox/log   State: ${sandbox.url}/__sandbox/state   Ctrl-C stops.`,
    );
  }
  await new Promise<void>((resolve) => {
    if (ctx.abort.signal.aborted) resolve();
    ctx.abort.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  return undefined;
}
