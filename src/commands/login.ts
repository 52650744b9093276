// login: store a profile (gateway, client id, client secret, tokens) and verify it with one call.
// Secrets come from stdin, files, the environment or hidden prompts: never from flag values.

import { ProfileAuth } from '../central/auth.js';
import { CLUSTERS } from '../central/clusters.js';
import { refreshTokens } from '../central/oauth.js';
import { checkBaseUrl } from '../central/url.js';
import type { Context } from '../context.js';
import { AuthError, CliError, UsageError } from '../errors.js';
import type { GlobalOptions, LoginOptions as LoginFlagOptions } from '../flags.js';
import { interactiveAnswers } from './login/prompts.js';
import { clusterUrl, loginWithPassword, profileFrom, readTokenFile, type Tokens } from './login/tokens.js';
import { loadServices } from './shared/data.js';

/** login's flags (flags.ts) with the two global ones it takes: where to log in, as what. */
export type LoginOptions = LoginFlagOptions & Pick<GlobalOptions, 'profile' | 'baseUrl'>;

export interface LoginResult {
  profile: string;
  gateway: string;
  clientId: string;
  accessTokenExpiresAt?: string;
  default: boolean;
  verified: boolean;
  /** Every service the gateway lists. */
  services: number;
  /** Of those, the Central ones: what `msp-license services` lists without --all. */
  centralServices: number;
}

export async function run(ctx: Context, flags: LoginFlagOptions): Promise<LoginResult> {
  const { io } = ctx;
  const options: LoginOptions = { ...flags, profile: ctx.globals.profile, baseUrl: ctx.globals.baseUrl };
  const store = ctx.store();
  const name = options.profile ?? ctx.env.MSP_LICENSE_PROFILE ?? 'default';
  const existing = store.getProfile(name);
  const flagsGiven = Boolean(
    options.clientId ||
      options.clientSecretStdin ||
      options.tokenFile ||
      options.refreshTokenStdin ||
      options.username,
  );

  let baseUrl: string | undefined;
  let clientId: string | undefined;
  let clientSecret: string | undefined;
  let tokens: Tokens | undefined;
  /** A refresh here rotated the pair: the refresh token we were given is dead from now on. */
  let rotated = false;

  if (!flagsGiven && io.interactive) {
    ({ baseUrl, clientId, clientSecret, tokens } = await interactiveAnswers(ctx, options, existing));
  } else {
    baseUrl = options.baseUrl ?? (options.cluster ? clusterUrl(options.cluster) : existing?.baseUrl);
    clientId = options.clientId ?? ctx.env.MSP_LICENSE_CLIENT_ID ?? existing?.clientId;
    if (options.clientSecretStdin) clientSecret = io.readStdinLine('the client secret');
    else clientSecret = ctx.env.MSP_LICENSE_CLIENT_SECRET ?? existing?.clientSecret;
    if (options.tokenFile) tokens = readTokenFile(io, options.tokenFile);
    else if (options.refreshTokenStdin) tokens = { refreshToken: io.readStdinLine('the refresh token') };
    else if (options.username) {
      if (!options.passwordStdin)
        throw new UsageError('--username needs --password-stdin (the password is read from stdin).');
      const password = io.readStdinLine('the password');
      tokens = await loginWithPassword(
        checkBaseUrl(baseUrl ?? ''),
        clientId ?? '',
        clientSecret,
        options.username,
        password,
        options.customerId,
        ctx.httpOptions(),
      );
    }
  }
  if (!baseUrl)
    throw new UsageError('No gateway: give --cluster NAME or --base-url URL.', {
      hint: `Clusters: ${Object.keys(CLUSTERS).join(', ')}`,
    });
  baseUrl = checkBaseUrl(baseUrl);
  if (!clientId)
    throw new UsageError('No client id: give --client-id (Central: API Gateway → System Apps & Tokens).');
  if (!tokens?.accessToken && !tokens?.refreshToken) {
    if (!existing?.refreshToken || existing.baseUrl !== baseUrl) {
      throw new UsageError(
        'No token: give --token-file FILE (Central’s Download Token JSON) or --refresh-token-stdin.',
        {
          hint: io.interactive ? undefined : 'On a terminal, plain `msp-license login` asks for everything.',
        },
      );
    }
  }

  if (tokens?.refreshToken && !tokens.accessToken) {
    if (!clientSecret)
      throw new UsageError(
        'A refresh token alone needs the client secret (--client-secret-stdin or MSP_LICENSE_CLIENT_SECRET).',
      );
    const t = await refreshTokens(
      baseUrl,
      { clientId, clientSecret, refreshToken: tokens.refreshToken },
      ctx.httpOptions(),
    );
    rotated = true;
    tokens = {
      accessToken: t.access_token,
      refreshToken: t.refresh_token ?? tokens.refreshToken, // a gateway that does not rotate keeps the old one
      expiresIn: t.expires_in,
      issuedAt: Date.now(),
    };
  }

  const profile = profileFrom(
    existing,
    { name, baseUrl, ...(options.cluster ? { cluster: options.cluster } : {}), clientId, clientSecret },
    tokens,
    Date.now(),
  );
  const makeDefault = Boolean(options.default) || !store.defaultProfileName();
  store.saveProfile(profile, { makeDefault });

  // Verify with one call (which also fills the services cache), with the credentials just saved
  // (never MSP_LICENSE_ACCESS_TOKEN). On failure put back what was there — unless a refresh has
  // rotated the tokens by then: the old refresh token is dead, so the new pair must be kept.
  let services = 0;
  let centralServices = 0;
  const session = ctx.session(name, { ignoreEnvToken: true });
  try {
    // The access token proves nothing about the client secret, which only a refresh uses: a
    // mistyped one would pass here and fail hours later in cron. So refresh now (unless a refresh
    // already did): a rejected secret fails the login; the rotated pair is what gets stored.
    if (!rotated && profile.refreshToken && session.auth instanceof ProfileAuth) {
      if (!clientSecret && !ctx.env.MSP_LICENSE_CLIENT_SECRET) {
        throw new AuthError('No client secret: the tokens could never be refreshed.', {
          hint: 'Give it with --client-secret-stdin (or MSP_LICENSE_CLIENT_SECRET).',
        });
      }
      await session.auth.refreshNow();
    }
    const list = (await loadServices(ctx, session, true)).data;
    services = list.length;
    centralServices = list.filter((service) => service.central).length;
  } catch (error) {
    if (rotated || (session.auth.refreshes ?? 0) > 0) {
      const reason = error instanceof CliError ? error.message : String(error);
      throw new CliError(
        `Profile '${name}' was saved, but the check call failed: ${reason}`,
        error instanceof CliError ? error.exitCode : 1,
        {
          code: error instanceof CliError ? error.code : 'failure',
          hint: "The tokens were refreshed (the old refresh token no longer works), so they were kept; try 'msp-license auth status'.",
        },
      );
    }
    if (existing) store.saveProfile(existing);
    else store.removeProfile(name);
    if (error instanceof AuthError) {
      throw new AuthError(`Login failed: ${error.message}`, {
        hint: 'Check the client id/secret and get a fresh token from Central.',
      });
    }
    throw error;
  }
  const saved = store.getProfile(name);
  return {
    profile: name,
    gateway: baseUrl,
    clientId,
    ...(saved?.accessTokenExpiresAt ? { accessTokenExpiresAt: saved.accessTokenExpiresAt } : {}),
    default: store.defaultProfileName() === name,
    verified: true,
    services,
    centralServices,
  };
}

export function render(result: LoginResult, ctx: Context): void {
  ctx.io.out(
    `Logged in: profile '${result.profile}' → ${result.gateway} (client ${result.clientId})${result.default ? ', the default profile' : ''}; ${servicesText(result)}.`,
  );
}

function servicesText(result: LoginResult): string {
  if (result.centralServices === result.services) return `${result.services} services visible`;
  return `${result.services} services visible: ${result.centralServices} Central ones ('msp-license services'), the rest with --all`;
}
