// login: store a profile (gateway, client id, client secret, tokens) and verify it with one call.
// Secrets come from stdin, files, the environment or hidden prompts: never from flag values.

import { ProfileAuth } from '../central/auth.js';
import { CLUSTERS } from '../central/clusters.js';
import { type OAuthOptions, passwordLogin, refreshTokens } from '../central/oauth.js';
import { parseDownloadToken } from '../central/schemas.js';
import { checkBaseUrl } from '../central/url.js';
import type { Profile } from '../config/store.js';
import type { Context } from '../context.js';
import { AuthError, CliError, UsageError } from '../errors.js';
import type { GlobalOptions, LoginOptions as LoginFlagOptions } from '../flags.js';
import type { IO } from '../ui/io.js';
import { ask, askHidden } from '../ui/prompt.js';
import { loadServices } from './shared/data.js';
import { MAX_TOKEN_FILE_BYTES, readInputFile } from './shared/input-file.js';

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

interface Tokens {
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number;
  issuedAt?: number;
}

function clusterUrl(name: string): string {
  const url = CLUSTERS[name.toLowerCase()];
  if (!url) {
    throw new UsageError(`Unknown cluster '${name}'.`, {
      hint: `Known clusters: ${Object.keys(CLUSTERS).join(', ')}; or give --base-url URL.`,
    });
  }
  return url;
}

function readTokenFile(io: IO, file: string): Tokens {
  let text: string;
  try {
    text =
      file === '-'
        ? io.readStdin()
        : readInputFile(file, {
            what: 'token file',
            maxBytes: MAX_TOKEN_FILE_BYTES,
            hint: 'Give the JSON file of Download Token (Central: API Gateway → System Apps & Tokens), or - for stdin.',
          });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `Cannot read token file '${file}' (${(error as NodeJS.ErrnoException).code ?? error}).`,
    );
  }
  return fromDownload(text, file);
}

function fromDownload(text: string, source: string): Tokens {
  try {
    const token = parseDownloadToken(text);
    return {
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      expiresIn: token.expires_in,
      issuedAt: token.created_at ? Date.parse(token.created_at) : Date.now(),
    };
  } catch (error) {
    // A bad token file is the user's input, not an API answer: exit 2.
    const e = error as CliError;
    throw new UsageError(`${source}: ${e.message}`, e.hint ? { hint: e.hint } : {});
  }
}

async function interactiveAnswers(ctx: Context, options: LoginOptions, existing: Profile | undefined) {
  const { io } = ctx;
  let baseUrl = options.baseUrl ?? (options.cluster ? clusterUrl(options.cluster) : existing?.baseUrl);
  if (!baseUrl) {
    const names = Object.keys(CLUSTERS);
    io.streams.stderr.write(`Clusters: ${names.join(', ')}\n`);
    // A typo asks again (three tries): nothing has been typed that would be lost.
    for (let attempt = 1; !baseUrl; attempt++) {
      const answer = (await ask(io, 'Cluster name or gateway URL: ')).trim();
      try {
        baseUrl = /^https?:\/\//.test(answer) ? checkBaseUrl(answer) : clusterUrl(answer);
      } catch (error) {
        if (attempt >= 3 || !(error instanceof CliError)) throw error;
        io.streams.stderr.write(`${error.message} ${error.hint ?? ''}\n`);
      }
    }
  }
  const clientId =
    options.clientId ??
    ctx.env.MSP_LICENSE_CLIENT_ID ??
    (existing?.clientId || (await ask(io, 'Client id: ')).trim());
  let clientSecret = ctx.env.MSP_LICENSE_CLIENT_SECRET;
  // An empty answer keeps the stored secret; with none stored it asks again (three tries).
  for (let attempt = 1; !clientSecret; attempt++) {
    const prompt = existing?.clientSecret
      ? 'Client secret (hidden; Enter keeps the stored one): '
      : 'Client secret (hidden): ';
    clientSecret = (await askHidden(io, prompt)).trim() || existing?.clientSecret;
    if (clientSecret) break;
    if (attempt >= 3)
      throw new UsageError('No client secret given.', {
        hint: "Central's API Gateway → System Apps & Tokens shows it.",
      });
    io.streams.stderr.write('The client secret is required (the tokens cannot be refreshed without it).\n');
  }
  io.streams.stderr.write(
    "Paste the token JSON from Central's Download Token dialog and press Enter twice,\nor just press Enter to log in with username and password (non-SSO accounts).\n",
  );
  let pasted = '';
  for (;;) {
    const line = await ask(io, '');
    if (!line.trim()) break;
    pasted += `${line}\n`;
    try {
      JSON.parse(pasted);
      break;
    } catch {
      // keep reading until the paste is complete JSON
    }
  }
  let tokens: Tokens | undefined;
  if (pasted.trim()) tokens = fromDownload(pasted, 'the pasted token');
  else {
    const username = (await ask(io, 'Username: ')).trim();
    const password = await askHidden(io, 'Password (hidden): ');
    const customerId = options.customerId ?? (await ask(io, 'MSP customer id: ')).trim();
    tokens = await loginWithPassword(
      checkBaseUrl(baseUrl),
      clientId,
      clientSecret,
      username,
      password,
      customerId,
      ctx.httpOptions(),
    );
  }
  return { baseUrl, clientId, clientSecret, tokens };
}

async function loginWithPassword(
  baseUrl: string,
  clientId: string,
  clientSecret: string | undefined,
  username: string,
  password: string,
  customerId: string | undefined,
  http: OAuthOptions = {},
): Promise<Tokens> {
  if (!clientSecret) {
    throw new UsageError('Username/password login needs the client secret.', {
      hint:
        'Give it on stdin before the password (line 1 the secret, line 2 the password):\n' +
        `printf '%s\\n%s\\n' "$CLIENT_SECRET" "$PASSWORD" | msp-license login --client-id ID --client-secret-stdin --username EMAIL --password-stdin --customer-id MSP_ID\n` +
        'or set MSP_LICENSE_CLIENT_SECRET.',
    });
  }
  if (!customerId) throw new UsageError('Username/password login needs --customer-id (the MSP customer id).');
  const t = await passwordLogin(baseUrl, { clientId, clientSecret, username, password, customerId }, http);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresIn: t.expires_in,
    issuedAt: Date.now(),
  };
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

  const now = new Date().toISOString();
  // A login makes the profile the user's own: the sandbox may no longer replace it.
  const { sandbox: _wasSandbox, ...kept } = existing ?? ({} as Partial<Profile>);
  const profile: Profile = {
    ...kept,
    name,
    baseUrl,
    ...(options.cluster ? { cluster: options.cluster.toLowerCase() } : {}),
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(tokens?.accessToken
      ? {
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: new Date(
            (tokens.issuedAt ?? Date.now()) + (tokens.expiresIn ?? 7200) * 1000,
          ).toISOString(),
        }
      : {}),
    ...(tokens?.refreshToken ? { refreshToken: tokens.refreshToken, refreshTokenIssuedAt: now } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
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
