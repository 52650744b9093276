// login, the credentials: a cluster name to its gateway, the Download Token JSON (a file, stdin or
// a paste) to tokens, username/password to tokens, and the profile that stores them.
import { CLUSTERS } from '../../central/clusters.js';
import { type OAuthOptions, passwordLogin } from '../../central/oauth.js';
import { parseDownloadToken } from '../../central/schemas.js';
import type { Profile } from '../../config/store.js';
import { type CliError, UsageError } from '../../errors.js';
import type { IO } from '../../ui/io.js';
import { MAX_TOKEN_FILE_BYTES, readInputFile } from '../shared/input-file.js';

export interface Tokens {
  accessToken?: string;
  refreshToken?: string;
  expiresIn?: number;
  issuedAt?: number;
}

export function clusterUrl(name: string): string {
  const url = CLUSTERS[name.toLowerCase()];
  if (!url) {
    throw new UsageError(`Unknown cluster '${name}'.`, {
      hint: `Known clusters: ${Object.keys(CLUSTERS).join(', ')}; or give --base-url URL.`,
    });
  }
  return url;
}

export function readTokenFile(io: IO, file: string): Tokens {
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

export function fromDownload(text: string, source: string): Tokens {
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

export async function loginWithPassword(
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

/**
 * The profile a login stores: what was there, with the gateway, the client and the tokens given
 * (the access token's expiry from its issue time, two hours when unsaid). A login makes the profile
 * the user's own: the sandbox mark is dropped (the sandbox may no longer replace it).
 */
export function profileFrom(
  existing: Profile | undefined,
  given: { name: string; baseUrl: string; cluster?: string; clientId: string; clientSecret?: string },
  tokens: Tokens | undefined,
  nowMs: number,
): Profile {
  const now = new Date(nowMs).toISOString();
  const { sandbox: _wasSandbox, ...kept } = existing ?? ({} as Partial<Profile>);
  return {
    ...kept,
    name: given.name,
    baseUrl: given.baseUrl,
    ...(given.cluster ? { cluster: given.cluster.toLowerCase() } : {}),
    clientId: given.clientId,
    ...(given.clientSecret ? { clientSecret: given.clientSecret } : {}),
    ...(tokens?.accessToken
      ? {
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: new Date(
            (tokens.issuedAt ?? nowMs) + (tokens.expiresIn ?? 7200) * 1000,
          ).toISOString(),
        }
      : {}),
    ...(tokens?.refreshToken ? { refreshToken: tokens.refreshToken, refreshTokenIssuedAt: now } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}
