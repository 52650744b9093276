// auth status: which credentials, how fresh, and (unless --offline) whether they work.
import type { Context } from '../context.js';
import { AuthError } from '../errors.js';
import type { AuthStatusOptions } from '../flags.js';
import { table } from '../ui/format.js';
import { REFRESH_TOKEN_LIFETIME_DAYS, refreshAge } from './profiles.js';

export interface AuthStatus {
  profile?: string;
  gateway: string;
  clientId?: string;
  /** Where the access token comes from: MSP_LICENSE_ACCESS_TOKEN, or the profile. */
  source: 'environment' | 'profile';
  /** Where the client secret used for refreshes comes from (never the secret itself). */
  clientSecretSource: 'environment' | 'profile' | 'none';
  accessTokenExpiresAt?: string;
  accessTokenExpiresInSeconds?: number;
  refreshTokenIssuedAt?: string;
  refreshTokenAgeDays?: number;
  refreshTokenDaysLeft?: number;
  verified: boolean | null;
  refreshed: boolean;
}

export async function run(ctx: Context, options: AuthStatusOptions): Promise<AuthStatus> {
  const session = ctx.session();
  const profile = session.source === 'profile' ? session.profile : undefined;
  const status: AuthStatus = {
    ...(session.profileName ? { profile: session.profileName } : {}),
    gateway: session.baseUrl,
    ...(ctx.env.MSP_LICENSE_CLIENT_ID || profile?.clientId
      ? { clientId: ctx.env.MSP_LICENSE_CLIENT_ID ?? profile?.clientId }
      : {}),
    source: session.source,
    clientSecretSource: ctx.env.MSP_LICENSE_CLIENT_SECRET
      ? 'environment'
      : profile?.clientSecret
        ? 'profile'
        : 'none',
    verified: null,
    refreshed: false,
  };
  const describe = () => {
    const p =
      session.source === 'profile' && session.profileName
        ? ctx.store().getProfile(session.profileName)
        : undefined;
    if (p?.accessTokenExpiresAt) {
      status.accessTokenExpiresAt = p.accessTokenExpiresAt;
      status.accessTokenExpiresInSeconds = Math.round(
        (Date.parse(p.accessTokenExpiresAt) - Date.now()) / 1000,
      );
    }
    if (p?.refreshToken && p.refreshTokenIssuedAt) {
      status.refreshTokenIssuedAt = p.refreshTokenIssuedAt;
      Object.assign(status, refreshAge(p.refreshTokenIssuedAt));
    }
  };
  describe();
  if (session.source === 'profile' && !profile?.refreshToken && !profile?.accessToken) {
    throw new AuthError(`Profile '${session.profileName}' has no credentials (logged out).`, {
      hint: "Run 'msp-license login'.",
    });
  }
  if (options.offline) {
    if (
      status.refreshTokenAgeDays !== undefined &&
      status.refreshTokenAgeDays >= REFRESH_TOKEN_LIFETIME_DAYS
    ) {
      throw new AuthError(
        `The refresh token of profile '${session.profileName}' is ${status.refreshTokenAgeDays} days old: Central revokes it after ${REFRESH_TOKEN_LIFETIME_DAYS} days unused.`,
        { hint: "Download a new token in Central and run 'msp-license login --token-file FILE'." },
      );
    }
    return status;
  }
  const refreshesBefore = session.client.metrics.refreshes;
  try {
    // One cheap call: the first customer (it also proves the token belongs to an MSP account).
    await session.client.request('GET', '/msp_api/v1/customers', { query: { offset: 0, limit: 1 } });
  } catch (error) {
    if (error instanceof AuthError) {
      throw new AuthError(
        `The credentials of ${session.profileName ? `profile '${session.profileName}'` : 'the environment'} do not work: ${error.message}`,
        { hint: error.hint ?? "Run 'msp-license login' again." },
      );
    }
    throw error;
  }
  status.verified = true;
  status.refreshed = session.client.metrics.refreshes > refreshesBefore;
  describe();
  return status;
}

export function render(status: AuthStatus, ctx: Context): void {
  const { io } = ctx;
  const rows = [
    ['profile', status.profile ?? '(none)'],
    ['gateway', status.gateway],
    ['client id', status.clientId ?? '-'],
    [
      'credentials',
      status.source === 'environment'
        ? 'access token from MSP_LICENSE_ACCESS_TOKEN (used as is, never refreshed)'
        : `profile${status.clientSecretSource === 'environment' ? ' (client secret from MSP_LICENSE_CLIENT_SECRET)' : ''}`,
    ],
  ];
  if (status.accessTokenExpiresAt) {
    const s = status.accessTokenExpiresInSeconds ?? 0;
    rows.push([
      'access token',
      `${s > 0 ? `expires in ${Math.floor(s / 60)} min` : 'expired (refreshed on next use)'} (${status.accessTokenExpiresAt})`,
    ]);
  }
  if (status.refreshTokenAgeDays !== undefined) {
    rows.push([
      'refresh token',
      `${status.refreshTokenAgeDays} days old; revoked by Central after ${REFRESH_TOKEN_LIFETIME_DAYS} days unused (${status.refreshTokenDaysLeft} left)`,
    ]);
  }
  rows.push([
    'status',
    status.verified === null
      ? 'not verified (--offline)'
      : io.styleOut('green', `valid${status.refreshed ? ' (tokens refreshed)' : ''}`),
  ]);
  // The labels' column is as wide as 'refresh token' whichever rows there are.
  io.out(table(rows, [{ min: 13 }, {}]).join('\n'));
  if (status.refreshTokenDaysLeft !== undefined && status.refreshTokenDaysLeft <= 3) {
    io.warn(
      io.style(
        'yellow',
        `warning: the refresh token is revoked in ${status.refreshTokenDaysLeft} days unless used: run 'msp-license auth refresh' (weekly from cron, see 'msp-license help cron').`,
      ),
    );
  }
}

/** A report: printed under --quiet too (quiet silences noise, not answers). */
export const answers = (): boolean => true;
