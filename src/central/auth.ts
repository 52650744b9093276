// Where the bearer token comes from. EnvAuth: MSP_LICENSE_ACCESS_TOKEN as is (CI). ProfileAuth:
// the profile's token, refreshed when about to expire or after a 401. Central rotates refresh
// tokens (each refresh invalidates the previous pair), so every refresh is single-flight across
// processes: take the config lock, re-read, refresh only if still needed, persist the rotated
// pair BEFORE using it, release. A failed refresh writes nothing.

import { withFileLock } from '../config/lock.js';
import { configPaths } from '../config/paths.js';
import type { ConfigStore, Profile } from '../config/store.js';
import { AuthError } from '../errors.js';
import type { AuthProvider } from './http.js';
import { type OAuthOptions, refreshTokens } from './oauth.js';

/** Refresh proactively when the access token expires within this long. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Central's access tokens live 2 h; used when the answer has no `expires_in`. */
const DEFAULT_EXPIRES_IN_S = 7200;

const LOGIN_HINT =
  'Run `msp-license login` (or `msp-license login --token-file FILE` with a downloaded token).';

/** MSP_LICENSE_ACCESS_TOKEN: used as is, never refreshed. */
export class EnvAuth implements AuthProvider {
  readonly refreshes = 0;

  constructor(private readonly token: string) {}

  async getAccessToken(): Promise<string> {
    return this.token;
  }

  async refreshAfterUnauthorized(): Promise<string> {
    throw new AuthError('The access token in MSP_LICENSE_ACCESS_TOKEN was rejected (HTTP 401).', {
      httpStatus: 401,
      hint: 'It is used as is and never refreshed: set a fresh token, or unset it to use the profile.',
    });
  }

  secrets(): string[] {
    return [this.token];
  }
}

export interface ProfileAuthOptions {
  store: ConfigStore;
  profileName: string;
  /** For MSP_LICENSE_CLIENT_ID / MSP_LICENSE_CLIENT_SECRET (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Gateway for the refresh call (default: the profile's; `--base-url` overrides). */
  baseUrl?: string;
  /** Options of the refresh call (trace, timeout, governor, ...). */
  http?: OAuthOptions;
  /** How long to wait for another process's refresh (default 30 s). */
  lockTimeoutMs?: number;
  /** Ends the wait for the lock (Ctrl-C); the refresh call itself is never cut in half. */
  lockSignal?: AbortSignal;
  now?: () => number;
}

export class ProfileAuth implements AuthProvider {
  /** Refreshes this process performed (the network calls, not the ones another process did). */
  refreshes = 0;
  private readonly options: ProfileAuthOptions;
  private readonly env: NodeJS.ProcessEnv;
  private readonly now: () => number;
  private readonly seen = new Set<string>();
  private inflight: Promise<string> | undefined;

  constructor(options: ProfileAuthOptions) {
    this.options = options;
    this.env = options.env ?? process.env;
    this.now = options.now ?? Date.now;
  }

  get profileName(): string {
    return this.options.profileName;
  }

  /** The stored access token; refreshed first when missing or expiring within 5 minutes. */
  async getAccessToken(): Promise<string> {
    const profile = this.profile();
    if (profile.accessToken && !this.expiring(profile)) {
      this.seen.add(profile.accessToken);
      return profile.accessToken;
    }
    return this.refresh(profile.accessToken, false);
  }

  /** After a 401 with `staleToken`: a newer token another process stored, or a fresh refresh. */
  async refreshAfterUnauthorized(staleToken: string): Promise<string> {
    return this.refresh(staleToken, false);
  }

  /** Refresh now whatever the expiry (`msp-license auth refresh`, the cron keep-alive). */
  async refreshNow(): Promise<string> {
    return this.refresh(undefined, true);
  }

  secrets(): string[] {
    const values = new Set(this.seen);
    let profile: Profile | undefined;
    try {
      profile = this.options.store.getProfile(this.options.profileName);
    } catch {
      profile = undefined;
    }
    for (const value of [
      profile?.clientSecret,
      profile?.accessToken,
      profile?.refreshToken,
      this.env.MSP_LICENSE_CLIENT_SECRET,
    ]) {
      if (value) values.add(value);
    }
    return [...values];
  }

  private profile(): Profile {
    const profile = this.options.store.getProfile(this.options.profileName);
    if (!profile) {
      throw new AuthError(`No profile named '${this.options.profileName}'.`, { hint: LOGIN_HINT });
    }
    return profile;
  }

  private expiring(profile: Profile): boolean {
    if (!profile.accessTokenExpiresAt) return false; // unknown: rely on the 401 path
    const expiresAt = Date.parse(profile.accessTokenExpiresAt);
    return !Number.isFinite(expiresAt) || expiresAt - this.now() < REFRESH_MARGIN_MS;
  }

  /** Single-flight within the process (one promise) and across processes (the lock file). */
  private refresh(staleToken: string | undefined, force: boolean): Promise<string> {
    if (this.inflight) return this.inflight;
    const run = this.refreshLocked(staleToken, force).finally(() => {
      this.inflight = undefined;
    });
    this.inflight = run;
    return run;
  }

  private async refreshLocked(staleToken: string | undefined, force: boolean): Promise<string> {
    const { store, profileName } = this.options;
    return withFileLock(
      configPaths(store.dir).lock,
      async () => {
        store.reload();
        const profile = this.profile();
        // Another process (or an earlier call here) already rotated the pair: use its token.
        if (!force && profile.accessToken && profile.accessToken !== staleToken && !this.expiring(profile)) {
          this.seen.add(profile.accessToken);
          return profile.accessToken;
        }
        const clientId = this.env.MSP_LICENSE_CLIENT_ID || profile.clientId;
        const clientSecret = this.env.MSP_LICENSE_CLIENT_SECRET || profile.clientSecret;
        const refreshToken = profile.refreshToken;
        if (!refreshToken) {
          throw new AuthError(
            `The access token of profile '${profileName}' ${profile.accessToken ? 'expired' : 'is missing'} and there is no refresh token to renew it.`,
            { hint: LOGIN_HINT },
          );
        }
        if (!clientSecret) {
          throw new AuthError(
            `Cannot refresh the token of profile '${profileName}': no client secret is stored.`,
            {
              hint: `Set MSP_LICENSE_CLIENT_SECRET, or ${LOGIN_HINT.charAt(0).toLowerCase()}${LOGIN_HINT.slice(1)}`,
            },
          );
        }
        if (!clientId) {
          throw new AuthError(`Cannot refresh the token of profile '${profileName}': no client id.`, {
            hint: LOGIN_HINT,
          });
        }
        this.seen.add(refreshToken);
        this.seen.add(clientSecret);
        const answer = await refreshTokens(
          this.options.baseUrl ?? profile.baseUrl,
          { clientId, clientSecret, refreshToken },
          this.options.http,
        );
        this.seen.add(answer.access_token);
        if (answer.refresh_token) this.seen.add(answer.refresh_token);
        const now = this.now();
        const issued = new Date(now).toISOString();
        // Persist the rotated pair before anything uses it: the old refresh token is dead now.
        store.updateProfile(profileName, {
          accessToken: answer.access_token,
          refreshToken: answer.refresh_token ?? refreshToken,
          accessTokenExpiresAt: new Date(
            now + (answer.expires_in ?? DEFAULT_EXPIRES_IN_S) * 1000,
          ).toISOString(),
          refreshTokenIssuedAt: answer.refresh_token ? issued : profile.refreshTokenIssuedAt,
        });
        this.refreshes += 1;
        return answer.access_token;
      },
      { timeoutMs: this.options.lockTimeoutMs ?? 30_000, signal: this.options.lockSignal },
    );
  }
}
