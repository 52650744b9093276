// The one HTTP client for Central: bearer auth with one refresh on 401, the shared rate governor,
// bounded retries with backoff, per-request timeouts, proxies from the environment, a redacted
// trace. Certificates are always verified (NODE_EXTRA_CA_CERTS is honoured by Node's TLS).

import dns from 'node:dns';
import type { Dispatcher } from 'undici';
import { ApiError, AuthError, CliError, InterruptedError } from '../errors.js';
import { cleanJson, cleanText } from '../ui/sanitize.js';
import { vendor } from '../vendor.js';
import { classifyNetworkError, httpError, networkError, type RequestContext } from './errors.js';
import { type RateGovernor, sharedGovernor } from './governor.js';
import { redact } from './redact.js';
import { isLoopbackAddress, isLoopbackHost } from './url.js';

// undici is loaded with the first request, not with this module: a command that answers from the
// caches never pays for it.
const undici = () => vendor<typeof import('undici')>('undici');

export interface AuthProvider {
  getAccessToken(): Promise<string>;
  /** Called once after a 401 with the token that was rejected; returns a fresh one or throws AuthError. */
  refreshAfterUnauthorized(staleToken: string): Promise<string>;
  /** Values to redact from traces and errors. */
  secrets(): string[];
  /** Refreshes actually performed (proactive ones included), when the provider counts them. */
  readonly refreshes?: number;
}

export interface RetryInfo {
  method: string;
  path: string;
  /** What failed: `HTTP 503`, `HTTP 429`, `ECONNRESET`, ... */
  reason: string;
  status?: number;
  /** 1-based number of the retry about to happen. */
  attempt: number;
  maxRetries: number;
  /** Same as maxRetries (for "retrying after 503 (2/5)"). */
  max: number;
  delayMs: number;
}

export interface ClientOptions {
  baseUrl: string;
  auth?: AuthProvider;
  /**
   * Per-attempt deadline (default 30 s): the whole exchange, headers and body, must be over by
   * then, however the server drips it. A timed-out request is retried at most once.
   */
  timeoutMs?: number;
  /** Largest answer accepted (default 16 MiB): a longer body is cut off and refused. */
  maxBodyBytes?: number;
  /** Retries after 429, 5xx and network failures (default 5). */
  maxRetries?: number;
  /** Total time a request may spend waiting between retries (default 60 s). */
  maxRetryMs?: number;
  /** Rate of the process-wide governor when it is first created (default 7). */
  perSecond?: number;
  /** A governor of its own instead of the process-wide one (tests). */
  governor?: RateGovernor;
  /** First backoff delay (default 1000 ms) and the cap (default 8000 ms). */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Extra secrets to redact besides `auth.secrets()`. */
  secrets?: string[];
  /** One line per attempt (verbose mode), already redacted. */
  trace?: (line: string) => void;
  onRetry?: (info: RetryInfo) => void;
  userAgent?: string;
  /** Aborts waits and requests (Ctrl-C); the signal's reason is thrown when it is an Error. */
  signal?: AbortSignal;
}

export interface RequestInit {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  tenantId?: string;
  /**
   * Whether repeating the request is harmless. Defaults to true for GET/HEAD and false otherwise.
   * A non-idempotent request is retried only after a 429 or when it provably never reached the
   * server (connection refused, DNS failure).
   */
  idempotent?: boolean;
  /** Send no bearer token (OAuth endpoints). */
  noAuth?: boolean;
  headers?: Record<string, string>;
  /** Overrides the client's maxRetries for this call (0: never retry, e.g. the login calls). */
  maxRetries?: number;
  /** Error statuses returned to the caller instead of thrown (e.g. 404 for the v2 → v1 fallback). */
  acceptStatus?: number[];
  signal?: AbortSignal;
}

export interface ClientResponse<T> {
  status: number;
  body: T;
  /** Lower-case names; repeated headers joined with ", " (set-cookie with "\n"). */
  headers: Record<string, string>;
}

export interface ClientMetrics {
  /** Attempts sent (retries included). */
  calls: number;
  retries: number;
  refreshes: number;
  /** 429 answers received. */
  rateLimited: number;
  dayRemaining?: number;
  dayLimit?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 5;
const DEFAULT_MAX_RETRY_MS = 60_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** Central's largest pages are a few hundred kB; nothing it answers comes near this. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Retries after a timeout: each one costs a whole deadline. */
const MAX_TIMEOUT_RETRIES = 1;

let proxyDispatcher: Dispatcher | undefined;
let directDispatcher: Dispatcher | undefined;

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * The resolver of the direct (loopback) dispatcher: `localhost` must resolve to loopback only,
 * or nothing is sent (a name the network's DNS answers for would receive the token in clear).
 */
export function loopbackLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) {
      callback(err, []);
      return;
    }
    const outside = addresses.find((a) => !isLoopbackAddress(a.address));
    const first = addresses[0];
    if (outside || !first) {
      const error: NodeJS.ErrnoException = new Error(
        `${hostname} resolved to ${outside?.address ?? 'nothing'}, which is not a loopback address; nothing was sent`,
      );
      error.code = 'ERR_NOT_LOOPBACK';
      callback(error, []);
      return;
    }
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  });
}

/** Loopback (the sandbox) goes direct; everything else honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
function dispatcherFor(url: URL): Dispatcher {
  // rejectUnauthorized is explicit so that NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn verification
  // off; NODE_EXTRA_CA_CERTS still adds trusted CAs (Node reads it into the default store).
  const tls = { timeout: CONNECT_TIMEOUT_MS, rejectUnauthorized: true };
  // Plain http:// is allowed only to these (checkBaseUrl), so they never go through a proxy.
  if (isLoopbackHost(url.hostname)) {
    directDispatcher ??= new (undici().Agent)({ connect: { ...tls, lookup: loopbackLookup } });
    return directDispatcher;
  }
  // `connect` is for direct (NO_PROXY) connections; requestTls for the TLS tunnelled to Central
  // through the proxy, proxyTls for an https:// proxy itself.
  proxyDispatcher ??= new (undici().EnvHttpProxyAgent)({ connect: tls, requestTls: tls, proxyTls: tls });
  return proxyDispatcher;
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const name = key.toLowerCase();
    out[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new InterruptedError();
}

function anySignal(a?: AbortSignal, b?: AbortSignal): AbortSignal | undefined {
  if (a && b) return AbortSignal.any([a, b]);
  return a ?? b;
}

/** The body as text, refused (and the connection dropped) once it passes `max` bytes. */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  headers: Record<string, string>,
  max: number,
  refuse: () => Error,
): Promise<string> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    body.destroy();
    throw refuse();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      throw refuse();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function tooLarge(verb: string, url: URL, max: number): ApiError {
  return new ApiError(
    `The answer to ${verb} ${url.pathname} is larger than ${Math.round(max / 1024 / 1024)} MiB; it was refused.`,
    {
      hint: 'Central never answers that much: the gateway URL may point at something else, or a proxy misbehaves. Check it with `msp-license auth status`.',
    },
  );
}

/** The deadline passed: before the headers came back, or while the body was still coming. */
function deadlineError(timeoutMs: number, gotHeaders: boolean): Error {
  return Object.assign(new Error(`no complete answer within ${timeoutMs}ms`), {
    code: gotHeaders ? 'UND_ERR_BODY_TIMEOUT' : 'UND_ERR_HEADERS_TIMEOUT',
  });
}

function isTransientStatus(status: number): boolean {
  return (
    status === 500 || status === 502 || status === 503 || status === 504 || status === 408 || status > 504
  );
}

export class CentralClient {
  readonly baseUrl: string;
  readonly metrics: ClientMetrics = { calls: 0, retries: 0, refreshes: 0, rateLimited: 0 };
  private readonly options: ClientOptions;
  private readonly governor: RateGovernor;

  constructor(options: ClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.governor = options.governor ?? sharedGovernor(options.perSecond);
  }

  /** Every value that must never be printed. */
  secrets(): string[] {
    return [...(this.options.auth?.secrets() ?? []), ...(this.options.secrets ?? [])];
  }

  url(path: string, query?: RequestInit['query']): URL {
    const url = new URL(this.baseUrl + (path.startsWith('/') ? path : `/${path}`));
    if (query) {
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
    }
    return url;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    init: RequestInit = {},
  ): Promise<ClientResponse<T>> {
    const verb = method.toUpperCase();
    const url = this.url(path, init.query);
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxRetries = init.maxRetries ?? this.options.maxRetries ?? DEFAULT_MAX_RETRIES;
    const maxRetryMs = this.options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS;
    const baseMs = this.options.retryBaseMs ?? 1000;
    const capMs = this.options.retryCapMs ?? 8000;
    const mutating = verb !== 'GET' && verb !== 'HEAD';
    const idempotent = init.idempotent ?? !mutating;
    const auth = init.noAuth ? undefined : this.options.auth;
    const started = Date.now();
    const signal = anySignal(this.options.signal, init.signal);
    const maxBodyBytes = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    let retries = 0;
    let timeouts = 0;
    let refreshed = false;
    let token = auth ? await auth.getAccessToken() : undefined;
    this.syncRefreshes(auth);

    const context = (): RequestContext => ({
      method: verb,
      url: url.toString(),
      timeoutMs,
      secrets: this.secrets(),
      retries,
      dayRemaining: this.metrics.dayRemaining,
      dayLimit: this.metrics.dayLimit,
    });

    /** Wait before the next attempt, or return false when the retry budget is spent. */
    const backoff = async (
      reason: string,
      status?: number,
      onDelay?: (ms: number) => void,
    ): Promise<boolean> => {
      if (retries >= maxRetries) return false;
      const exp = Math.min(capMs, baseMs * 2 ** retries);
      // "Equal jitter": half fixed, half random, so that concurrent workers spread out.
      const delayMs = Math.round(exp / 2 + Math.random() * (exp / 2));
      if (Date.now() - started + delayMs > maxRetryMs) return false;
      retries += 1;
      this.metrics.retries += 1;
      onDelay?.(delayMs);
      this.options.onRetry?.({
        method: verb,
        path: url.pathname,
        reason,
        status,
        attempt: retries,
        maxRetries,
        max: maxRetries,
        delayMs,
      });
      this.trace(
        `↻ retry ${retries}/${maxRetries} ${verb} ${url.pathname} after ${reason}, waiting ${delayMs}ms`,
      );
      await sleep(delayMs, signal);
      return true;
    };

    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'msp-license',
      ...init.headers,
    };
    let payload: string | undefined;
    if (init.body !== undefined) {
      payload = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    if (init.tenantId) headers.TenantID = init.tenantId;

    for (;;) {
      if (token) headers.authorization = `Bearer ${token}`;
      const release = await this.governor.acquire();
      if (signal?.aborted) {
        release();
        throw abortError(signal);
      }
      this.metrics.calls += 1;
      this.trace(`→ ${verb} ${url.toString()}${init.tenantId ? ` (TenantID ${init.tenantId})` : ''}`);
      const t0 = Date.now();

      let status: number;
      let responseHeaders: Record<string, string>;
      let text: string;
      // The attempt's deadline covers the headers and the whole body: a server dripping a byte
      // at a time, or streaming without end, is cut off when it passes.
      const deadline = new AbortController();
      const deadlineTimer = setTimeout(() => deadline.abort(), timeoutMs);
      let released = false;
      let gotHeaders = false;
      const releaseOnce = () => {
        if (!released) release();
        released = true;
      };
      try {
        const res = await undici().request(url, {
          method: verb as Dispatcher.HttpMethod,
          headers,
          body: payload,
          dispatcher: dispatcherFor(url),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          // Ctrl-C never cuts a mutating request in half: whether Central acted on it would be
          // unknown. It runs to its answer (at most the deadline) and the caller stops after it.
          signal: mutating || !signal ? deadline.signal : AbortSignal.any([signal, deadline.signal]),
        });
        gotHeaders = true;
        status = res.statusCode;
        responseHeaders = flattenHeaders(res.headers);
        // Released when the headers are back: that bounds when the server saw the request.
        releaseOnce();
        text = await readCapped(res.body, responseHeaders, maxBodyBytes, () =>
          tooLarge(verb, url, maxBodyBytes),
        );
      } catch (caught) {
        releaseOnce();
        if (signal?.aborted) throw abortError(signal);
        if (caught instanceof CliError) throw caught;
        const err = deadline.signal.aborted ? deadlineError(timeoutMs, gotHeaders) : caught;
        const { kind, code, notSent } = classifyNetworkError(err);
        this.trace(`✗ ${verb} ${url.pathname} ${code ?? kind} ${Date.now() - t0}ms`);
        const transient = kind !== 'tls' && !(kind === 'dns' && code !== 'EAI_AGAIN') && kind !== 'other';
        const again = kind !== 'timeout' || timeouts++ < MAX_TIMEOUT_RETRIES;
        if (transient && again && (idempotent || notSent) && (await backoff(code ?? kind))) continue;
        throw networkError(err, context());
      } finally {
        clearTimeout(deadlineTimer);
      }
      // undici hands the connection back to its pool on a later turn of the event loop than the
      // one that ends the body: a request made before then (the next call of a sequence) opens a
      // second connection to the same origin (with Central, a second TLS handshake). One turn.
      await new Promise((resolve) => setImmediate(resolve));

      this.governor.observe(responseHeaders);
      if (this.governor.dayRemaining !== undefined) this.metrics.dayRemaining = this.governor.dayRemaining;
      if (this.governor.dayLimit !== undefined) this.metrics.dayLimit = this.governor.dayLimit;
      const day =
        this.metrics.dayRemaining !== undefined
          ? ` (day ${this.metrics.dayRemaining}${this.metrics.dayLimit !== undefined ? `/${this.metrics.dayLimit}` : ''})`
          : '';
      this.trace(`← ${status} ${verb} ${url.pathname} ${Date.now() - t0}ms${day}`);
      const contentType = responseHeaders['content-type'];

      if (status >= 200 && status < 300) {
        return { status, headers: responseHeaders, body: this.parseBody(text, contentType, verb, url) as T };
      }
      if (init.acceptStatus?.includes(status)) {
        return {
          status,
          headers: responseHeaders,
          body: this.parseBody(text, contentType, verb, url, true) as T,
        };
      }
      if (status === 401 && auth && token !== undefined && !refreshed) {
        refreshed = true;
        this.metrics.refreshes += 1;
        this.trace(`↻ ${verb} ${url.pathname} got 401: refreshing the access token once`);
        token = await auth.refreshAfterUnauthorized(token);
        this.syncRefreshes(auth);
        continue;
      }
      if (status === 401 && refreshed) {
        const err = httpError({ status, contentType, text }, context());
        throw new AuthError(`${err.message}, even with a freshly refreshed token`, {
          httpStatus: 401,
          hint: err.hint,
        });
      }
      if (status === 429) {
        this.metrics.rateLimited += 1;
        // The daily budget is spent: waiting seconds cannot help (it resets at midnight GMT).
        if (this.metrics.dayRemaining === 0) throw httpError({ status, contentType, text }, context());
        // Everyone in this process slows down, not just this request.
        if (await backoff('HTTP 429', status, (ms) => this.governor.pause(Math.min(ms, 1000)))) continue;
        throw httpError({ status, contentType, text }, context());
      }
      if (isTransientStatus(status) && idempotent && (await backoff(`HTTP ${status}`, status))) continue;
      throw httpError({ status, contentType, text }, context());
    }
  }

  private parseBody(
    text: string,
    contentType: string | undefined,
    verb: string,
    url: URL,
    lenient = false,
  ): unknown {
    if (text.trim() === '') return null;
    const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text);
    if (!looksJson) return cleanText(text);
    try {
      // Every string a server sends is cleaned of control characters on arrival: a name with a
      // newline or an escape sequence cannot break a table or drive the terminal later.
      return cleanJson(JSON.parse(text));
    } catch {
      if (lenient) return text;
      throw new ApiError(`unexpected response from ${verb} ${url.pathname}: the body is not valid JSON`, {
        hint: 'A proxy or gateway may have answered instead of Central; run with --verbose to see the exchange.',
      });
    }
  }

  private syncRefreshes(auth: AuthProvider | undefined): void {
    if (typeof auth?.refreshes === 'number' && auth.refreshes > this.metrics.refreshes) {
      this.metrics.refreshes = auth.refreshes;
    }
  }

  private trace(line: string): void {
    if (this.options.trace) this.options.trace(redact(line, this.secrets()));
  }
}
