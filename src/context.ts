// What a command receives: IO, the global options, and lazily built config store and API client
// (wrangler's handler context). Commands never build their own I/O.
import { EnvAuth, ProfileAuth } from './central/auth.js';
import type { AuthProvider, RetryInfo } from './central/http.js';
import { CentralClient } from './central/http.js';
import { checkBaseUrl } from './central/url.js';
import { configDir } from './config/paths.js';
import { ConfigStore, type Profile, resolveProfileName } from './config/store.js';
import { type Clock, systemClock } from './core/clock.js';
import { parseDuration } from './core/duration.js';
import { AuthError, InterruptedError, SIGNAL_EXIT } from './errors.js';
import type { GlobalOptions } from './globals.js';
import type { IO } from './ui/io.js';

export interface Session {
  profileName: string | undefined;
  profile: Profile | undefined;
  baseUrl: string;
  client: CentralClient;
  auth: AuthProvider;
  /** Where the credentials come from: the environment or the profile. */
  source: 'environment' | 'profile';
}

export class Context {
  readonly dir: string;
  /** What a job's wait and back-off read and sleep on (tests give a virtual one). */
  clock: Clock = systemClock;
  interrupted = false;
  /** The signal that interrupted the run (its exit code is 128 + its number). */
  signal: NodeJS.Signals = 'SIGINT';
  /**
   * Set by a real assign/unassign run: a closed output (EPIPE) must not end it; it goes on to the
   * job's true outcome, records it, and exits with its code.
   */
  mustFinish = false;
  private interruptedAt = 0;
  private abortInstance?: AbortController;
  private storeInstance?: ConfigStore;
  private sessionInstance?: Session;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    readonly io: IO,
    readonly globals: GlobalOptions,
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.dir = configDir(env);
  }

  /** What a signal aborts: the run's requests and sleeps (made when first asked for). */
  get abort(): AbortController {
    this.abortInstance ??= new AbortController();
    return this.abortInstance;
  }

  store(): ConfigStore {
    if (!this.storeInstance) {
      this.storeInstance = ConfigStore.open(this.dir);
      // Said once per run, by every command that reads the credentials.
      const warning = this.storeInstance.permissionWarning();
      if (warning) this.io.warn(`warning: ${warning}`);
    }
    return this.storeInstance;
  }

  /**
   * What every HTTP client of this run shares: the --verbose trace (redacted) and the per-request
   * timeout (--request-timeout, env MSP_LICENSE_REQUEST_TIMEOUT; default 30s).
   */
  httpOptions(): { trace?: (line: string) => void; timeoutMs?: number } {
    const trace = this.io.verbose ? (line: string) => this.io.trace(line) : undefined;
    const raw = this.globals.requestTimeout;
    if (raw === undefined || raw === '') return { trace };
    const timeoutMs = parseDuration(raw, this.globals.requestTimeoutFrom ?? '--request-timeout', {
      min: 1000,
      max: 600_000,
    });
    return { trace, timeoutMs };
  }

  /** flag > MSP_LICENSE_PROFILE > the default profile > the only profile. */
  profileName(): string | undefined {
    return resolveProfileName(this.store(), this.globals.profile, this.env);
  }

  /** The profile to act as, or an AuthError that says how to get one. */
  requireProfile(): Profile {
    const name = this.profileName();
    const profile = name ? this.store().getProfile(name) : undefined;
    if (!profile) {
      throw new AuthError(
        name ? `No profile named '${name}'.` : 'No credentials: no profile is configured.',
        {
          hint: "Run 'msp-license login' (or try 'msp-license sandbox --write-profile' first); 'msp-license profiles' lists what exists.",
        },
      );
    }
    return profile;
  }

  /**
   * The API session of the chosen profile (or of `profileName`, e.g. the one login just wrote).
   * Which profile, which gateway and where the credentials come from are settled (and checked) here;
   * the token source and the HTTP client are made when first used: a list answered from the cache
   * needs neither.
   */
  session(profileName?: string, options: { ignoreEnvToken?: boolean } = {}): Session {
    if (this.sessionInstance && !profileName) return this.sessionInstance;
    const { trace, timeoutMs } = this.httpOptions();
    const onRetry = (info: RetryInfo) => this.onRetry(info);
    const { makeAuth, ...credentials } = this.credentials(
      profileName,
      { trace, timeoutMs, onRetry },
      options.ignoreEnvToken,
    );
    const abort = () => this.abort.signal;
    let auth: AuthProvider | undefined;
    let client: CentralClient | undefined;
    this.sessionInstance = {
      ...credentials,
      get auth() {
        auth ??= makeAuth();
        return auth;
      },
      get client() {
        client ??= new CentralClient({
          baseUrl: credentials.baseUrl,
          auth: this.auth,
          trace,
          timeoutMs,
          signal: abort(),
          onRetry,
        });
        return client;
      },
    };
    return this.sessionInstance;
  }

  /** Where the bearer token comes from: MSP_LICENSE_ACCESS_TOKEN as is, else the profile. */
  private credentials(
    profileName: string | undefined,
    http: { trace?: (line: string) => void; timeoutMs?: number; onRetry: (info: RetryInfo) => void },
    ignoreEnvToken = false,
  ): Omit<Session, 'client' | 'auth'> & { makeAuth: () => AuthProvider } {
    const envToken = ignoreEnvToken ? undefined : this.env.MSP_LICENSE_ACCESS_TOKEN;
    if (envToken) {
      const name = profileName ?? this.profileNameOrUndefined();
      const profile = name ? this.store().getProfile(name) : undefined;
      const rawUrl = this.globals.baseUrl ?? profile?.baseUrl;
      if (!rawUrl) {
        throw new AuthError('MSP_LICENSE_ACCESS_TOKEN is set but no gateway is known.', {
          hint: 'Set MSP_LICENSE_BASE_URL (or --base-url), or name a profile with --profile.',
        });
      }
      return {
        profileName: name,
        profile,
        baseUrl: checkBaseUrl(rawUrl),
        makeAuth: () => new EnvAuth(envToken),
        source: 'environment',
      };
    }
    const profile = profileName ? this.store().getProfile(profileName) : this.requireProfile();
    if (!profile) throw new AuthError(`No profile named '${profileName}'.`);
    const baseUrl = checkBaseUrl(this.globals.baseUrl ?? profile.baseUrl);
    const store = this.store();
    // The refresh call is traced and timed like every other, but never aborted by Ctrl-C: an
    // answer lost half-way would leave the rotated pair unknown and the stored one dead.
    const makeAuth = () =>
      new ProfileAuth({
        store,
        profileName: profile.name,
        env: this.env,
        baseUrl,
        http,
        lockSignal: this.abort.signal,
      });
    return { profileName: profile.name, profile, baseUrl, makeAuth, source: 'profile' };
  }

  private profileNameOrUndefined(): string | undefined {
    try {
      return this.profileName();
    } catch {
      return undefined;
    }
  }

  private onRetry(info: { reason?: string; attempt?: number; max?: number; delayMs?: number }): void {
    const delay = info.delayMs === undefined ? '' : ` in ${(info.delayMs / 1000).toFixed(1)}s`;
    // A progress line: timestamped in logs (cron), like the wait's poll lines.
    this.io.progress(
      `retrying after ${info.reason ?? 'an error'} (${info.attempt ?? '?'}/${info.max ?? '?'})${delay}`,
    );
  }

  /** Secret values to keep out of every message. */
  secrets(): string[] {
    const values = [this.env.MSP_LICENSE_ACCESS_TOKEN, this.env.MSP_LICENSE_CLIENT_SECRET];
    if (this.sessionInstance) values.push(...this.sessionInstance.auth.secrets());
    return values.filter((value): value is string => Boolean(value));
  }

  /**
   * Ctrl-C, SIGTERM or SIGHUP (an SSH session dropping): the running command sees `abort.signal`
   * and `interrupted`, ends cleanly and records how; a second signal exits at once.
   */
  interrupt(signal: NodeJS.Signals = 'SIGINT'): void {
    // conf's temp-file cleanup re-raises the same signal once, so one Ctrl-C can arrive twice:
    // only a second press a moment later means "quit now".
    if (this.interrupted) {
      if (Date.now() - this.interruptedAt < 1000) return;
      this.cleanup();
      process.exit(SIGNAL_EXIT[this.signal] ?? 130);
    }
    this.signal = signal;
    this.interrupted = true;
    this.interruptedAt = Date.now();
    this.abort.abort(new InterruptedError());
  }

  onCleanup(fn: () => void): void {
    this.cleanups.push(fn);
  }

  cleanup(): void {
    while (this.cleanups.length) {
      try {
        this.cleanups.pop()?.();
      } catch {
        // cleanup must never mask the real outcome
      }
    }
  }
}
