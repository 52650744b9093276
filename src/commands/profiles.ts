import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { table } from '../ui/format.js';

export interface ProfileRow {
  name: string;
  default: boolean;
  gateway: string;
  clientId: string;
  hasCredentials: boolean;
  accessTokenExpiresAt?: string;
  refreshTokenAgeDays?: number;
  refreshTokenDaysLeft?: number;
}

export const REFRESH_TOKEN_LIFETIME_DAYS = 15;

export function refreshAge(issuedAt: string | undefined, now = Date.now()) {
  if (!issuedAt) return {};
  const ageDays = Math.max(0, (now - Date.parse(issuedAt)) / 86_400_000);
  return {
    refreshTokenAgeDays: Math.round(ageDays * 10) / 10,
    refreshTokenDaysLeft: Math.round(Math.max(0, REFRESH_TOKEN_LIFETIME_DAYS - ageDays) * 10) / 10,
  };
}

export async function run(ctx: Context, _options: unknown, action?: string, name?: string) {
  const store = ctx.store();
  if (action === 'use') {
    if (!name || !store.getProfile(name)) {
      throw new UsageError(`No profile named '${name}'.`, { hint: "'msp-license profiles' lists them." });
    }
    store.setDefault(name);
    return { default: name };
  }
  // ctx.store() has already warned when the config is readable by group or others.
  const defaultName = store.defaultProfileName();
  const rows: ProfileRow[] = store.listProfiles().map((p) => ({
    name: p.name,
    default: p.name === defaultName,
    gateway: p.baseUrl,
    clientId: p.clientId,
    hasCredentials: Boolean(p.refreshToken || p.accessToken),
    ...(p.accessTokenExpiresAt ? { accessTokenExpiresAt: p.accessTokenExpiresAt } : {}),
    ...refreshAge(p.refreshToken ? p.refreshTokenIssuedAt : undefined),
  }));
  return { profiles: rows };
}

export function render(result: { profiles?: ProfileRow[]; default?: string }, ctx: Context): void {
  const { io } = ctx;
  if (result.default) {
    io.out(`Default profile: ${result.default}`);
    return;
  }
  const rows = result.profiles ?? [];
  if (!rows.length) {
    io.info(
      "No profiles yet: 'msp-license login', or 'msp-license sandbox --write-profile' to try the tool.",
    );
    return;
  }
  const cells = rows.map((r) => {
    const age = !r.hasCredentials
      ? 'logged out'
      : r.refreshTokenAgeDays === undefined
        ? '-'
        : `${r.refreshTokenAgeDays}d (${r.refreshTokenDaysLeft}d left)`;
    // The default profile is marked in front of its name: '* prod'.
    return [`${r.default ? '*' : ' '} ${r.name}`, age, r.gateway];
  });
  const columns = [
    { header: '  PROFILE', min: 9 },
    { header: 'REFRESH AGE', min: 16 },
    { header: 'GATEWAY' },
  ];
  for (const line of table(cells, columns)) io.out(line);
}

/** The list is an answer (printed under --quiet too); `profiles use`'s confirmation is not. */
export const answers = (result: { default?: string }): boolean => !result.default;
