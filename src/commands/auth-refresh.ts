// auth refresh: rotate the token pair now and persist it (the cron keep-alive).
import { ProfileAuth } from '../central/auth.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { refreshAge } from './profiles.js';

export interface RefreshResult {
  profile: string;
  gateway: string;
  accessTokenExpiresAt?: string;
  refreshTokenDaysLeft?: number;
}

export async function run(ctx: Context): Promise<RefreshResult> {
  if (ctx.env.MSP_LICENSE_ACCESS_TOKEN) {
    throw new UsageError('MSP_LICENSE_ACCESS_TOKEN is set: that token is used as is and never refreshed.', {
      hint: 'Unset it to refresh a profile.',
    });
  }
  const session = ctx.session();
  const profile = ctx.requireProfile();
  if (!(session.auth instanceof ProfileAuth)) throw new UsageError('These credentials cannot be refreshed.');
  await session.auth.refreshNow();
  const saved = ctx.store().getProfile(profile.name);
  return {
    profile: profile.name,
    gateway: session.baseUrl,
    ...(saved?.accessTokenExpiresAt ? { accessTokenExpiresAt: saved.accessTokenExpiresAt } : {}),
    ...(saved?.refreshTokenIssuedAt
      ? { refreshTokenDaysLeft: refreshAge(saved.refreshTokenIssuedAt).refreshTokenDaysLeft }
      : {}),
  };
}

export function render(result: RefreshResult, ctx: Context): void {
  ctx.io.out(
    `Refreshed profile '${result.profile}': new access token until ${result.accessTokenExpiresAt ?? '?'}; the new refresh token lives ${result.refreshTokenDaysLeft ?? 15} days unused.`,
  );
}
