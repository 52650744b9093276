// sandbox: a simulated Central on loopback, for trying the tool, rehearsing cron scripts, and tests.

import { readFileSync } from 'node:fs';
import { isLoopbackHost } from '../central/url.js';
import type { Profile } from '../config/store.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { SandboxOptions as SandboxFlagOptions } from '../flags.js';
import { type ReplayFile, type SandboxOptions, startSandbox } from '../sandbox/server.js';
import { parseVariants } from '../sandbox/variants.js';

function readReplay(file: string): ReplayFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--replay ${file}: ${(error as Error).message}`, {
      hint: "Give the file written by 'msp-license doctor --record FILE'.",
    });
  }
  const exchanges = (value as { exchanges?: unknown })?.exchanges;
  if (!Array.isArray(exchanges)) {
    throw new UsageError(`--replay ${file}: no "exchanges" list (not a doctor recording).`, {
      hint: "Give the file written by 'msp-license doctor --record FILE'.",
    });
  }
  return { exchanges } as ReplayFile;
}

/**
 * A profile this command wrote: marked so, or (written by an older build) pointing at a plain
 * http:// gateway, which only a loopback sandbox can be.
 */
export function isSandboxProfile(profile: Profile): boolean {
  return profile.sandbox === true || profile.baseUrl.startsWith('http://');
}

export async function run(ctx: Context, options: SandboxFlagOptions): Promise<undefined> {
  if (!isLoopbackHost(options.host)) {
    throw new UsageError(`--host ${options.host}: the sandbox only listens on loopback.`, {
      hint: 'Use 127.0.0.1.',
    });
  }
  let variants: SandboxOptions['variants'];
  try {
    variants = options.variant ? parseVariants(options.variant) : undefined;
  } catch (error) {
    throw new UsageError(`--variant: ${(error as Error).message}.`, {
      hint: "See 'msp-license sandbox --help' for the switches and their values.",
    });
  }
  const replay = options.replay ? readReplay(options.replay) : undefined;
  const sandboxOptions: SandboxOptions = {
    ...(variants ? { variants } : {}),
    ...(replay ? { replay } : {}),
    host: options.host,
    port: options.port,
    customers: options.customers,
    devices: options.devices,
    licenses: options.licenses,
    jobSpeed: options.jobSpeed,
    tokenTtlSeconds: options.tokenTtl,
    maxPageSize: options.pageSize,
    maxIdsPerRequest: options.maxIds,
    seed: options.seed,
    rateLimit: { enforce: options.rateLimit, perDay: options.dailyLimit },
    servicesV2: options.servicesV2,
    faults: {
      ...(options.fault429 ? { status429: options.fault429 } : {}),
      ...(options.fault5xx ? { status5xx: options.fault5xx } : {}),
      ...(options.latency ? { latencyMs: options.latency } : {}),
    },
  };
  const profileName =
    options.writeProfile === false
      ? undefined
      : typeof options.writeProfile === 'string'
        ? options.writeProfile
        : 'sandbox';
  // Before the sandbox starts: a profile it did not write (a real gateway's, whose refresh token
  // is the only live one) is never replaced.
  if (profileName) {
    const existing = ctx.store().getProfile(profileName);
    if (existing && !isSandboxProfile(existing)) {
      throw new UsageError(
        `Profile '${profileName}' exists and was not written by the sandbox (gateway ${existing.baseUrl}): not replacing it.`,
        {
          code: 'profile_exists',
          hint: `Give the sandbox's profile another name (--write-profile sandbox), or remove that one first: msp-license logout --profile ${profileName} --remove`,
        },
      );
    }
  }
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox(sandboxOptions);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const why =
        code === 'EADDRINUSE'
          ? 'is already in use'
          : code === 'EACCES'
            ? 'needs root privileges'
            : 'is not available';
      throw new UsageError(`--port ${options.port}: ${options.host}:${options.port} ${why} (${code}).`, {
        hint: 'Pick another port, or --port 0 for any free one.',
      });
    }
    throw error;
  }
  const c = sandbox.credentials;
  if (profileName) {
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
      sandbox: true,
    };
    // Written before anything is printed: whoever waits for the first line can use it at once.
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
