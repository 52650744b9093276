// OAuth state: valid access tokens with expiry, the one current refresh token (rotating), login
// sessions and single-use authorization codes.

import { randomBytes } from 'node:crypto';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'bearer';
}

export interface AuthConfig {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  customerId: string;
  tokenTtlSeconds: number;
}

const AUTH_CODE_TTL_MS = 300_000;

function token(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export class AuthStore {
  private readonly access = new Map<string, number>(); // token -> expiry (epoch ms)
  private currentRefresh: string | null = null;
  private currentRefreshAccess: string | null = null;
  private readonly sessions = new Map<string, string>(); // session -> csrf token
  private readonly codes = new Map<string, number>(); // auth code -> expiry (epoch ms)

  constructor(readonly config: AuthConfig) {}

  /** Issues a new pair; it becomes the current refresh token (the old access tokens stay valid). */
  mint(): TokenPair {
    const access_token = token();
    const refresh_token = token();
    this.access.set(access_token, Date.now() + this.config.tokenTtlSeconds * 1000);
    this.currentRefresh = refresh_token;
    this.currentRefreshAccess = access_token;
    return { access_token, refresh_token, expires_in: this.config.tokenTtlSeconds, token_type: 'bearer' };
  }

  /** Rotation: the old refresh token and the access token issued with it stop working. */
  refresh(refreshToken: string): TokenPair | null {
    if (!this.currentRefresh || refreshToken !== this.currentRefresh) return null;
    if (this.currentRefreshAccess) this.access.delete(this.currentRefreshAccess);
    return this.mint();
  }

  isValidAccess(accessToken: string): boolean {
    const expiry = this.access.get(accessToken);
    if (expiry === undefined) return false;
    if (expiry <= Date.now()) {
      this.access.delete(accessToken);
      return false;
    }
    return true;
  }

  checkClient(clientId: string | undefined, clientSecret: string | undefined): boolean {
    return clientId === this.config.clientId && clientSecret === this.config.clientSecret;
  }

  expireAll(): void {
    this.access.clear();
  }

  revokeRefresh(): void {
    this.currentRefresh = null;
    this.currentRefreshAccess = null;
  }

  login(username: unknown, password: unknown): { session: string; csrf: string } | null {
    if (username !== this.config.username || password !== this.config.password) return null;
    const session = token();
    const csrf = token(16);
    this.sessions.set(session, csrf);
    return { session, csrf };
  }

  sessionValid(session: string | undefined, csrf: string | undefined): boolean {
    return session !== undefined && csrf !== undefined && this.sessions.get(session) === csrf;
  }

  issueCode(): string {
    const code = token(12);
    this.codes.set(code, Date.now() + AUTH_CODE_TTL_MS);
    return code;
  }

  /** Single use: a code works once, within 300 s. */
  redeemCode(code: string): boolean {
    const expiry = this.codes.get(code);
    this.codes.delete(code);
    return expiry !== undefined && expiry > Date.now();
  }
}
