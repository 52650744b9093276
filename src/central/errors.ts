// Turns what Central (or the network) answered into one CliError with a clear message. Every
// message goes through redact(): an error body may echo a token back.

import { isRecord } from '../core/json.js';
import { ApiError, AuthError, type CliError, NetworkError, RateLimitError } from '../errors.js';
import { cleanText } from '../ui/sanitize.js';
import { redact } from './redact.js';

const MAX_MESSAGE = 300;

export interface ParsedErrorBody {
  message: string;
  code?: string;
}

/** Beyond this, text from a server is not even looked at (it is never shown anyway). */
const MAX_SCANNED = 64 * 1024;

/**
 * Masks, then shortens to one line of MAX_MESSAGE characters. Never the other way round: a cut
 * through a secret would leave its start unrecognisable to the mask, and shown.
 */
export function maskAndCap(text: string, secrets?: Iterable<string | undefined>): string {
  const masked = redact(text.slice(0, MAX_SCANNED), secrets);
  const flat = cleanText(masked.replace(/\s+/g, ' ').trim());
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The message of one of the JSON error shapes in docs/central-contract.md ("10. Error bodies"). */
function fromJson(body: unknown): ParsedErrorBody | undefined {
  if (typeof body === 'string') return str(body) ? { message: body.trim() } : undefined;
  if (Array.isArray(body)) {
    const parts = body.map((item) => fromJson(item)?.message).filter((m): m is string => !!m);
    return parts.length > 0 ? { message: parts.join('; ') } : undefined;
  }
  if (!isRecord(body)) return undefined;

  // OAuth: {"error":"invalid_token","error_description":"..."}
  const oauthError = str(body.error);
  if (oauthError !== undefined && typeof body.error === 'string') {
    const description = str(body.error_description);
    return { message: description ? `${description} (${oauthError})` : oauthError, code: oauthError };
  }
  // {"description","error_code":"0001","service_name"}
  const description = str(body.description);
  if (description !== undefined) {
    return { message: description, code: str(body.error_code) };
  }
  // {"status":[{"message":{"msg":"..."}}]}
  if (Array.isArray(body.status)) {
    const parts: string[] = [];
    for (const entry of body.status) {
      if (!isRecord(entry)) continue;
      const message = entry.message;
      const text = isRecord(message) ? (str(message.msg) ?? str(message.message)) : str(message);
      if (text) parts.push(text);
    }
    if (parts.length > 0) return { message: parts.join('; ') };
  }
  // {"message":"..."} and {"error_code":400,"message":"..."}
  const message = str(body.message) ?? str(body.msg);
  if (message !== undefined) return { message, code: str(body.error_code) ?? str(body.code) };
  // {"detail":"..."} (also FastAPI-style [{"msg":...}])
  if (body.detail !== undefined) {
    const detail = fromJson(body.detail);
    if (detail) return detail;
    if (isRecord(body.detail) || Array.isArray(body.detail)) return undefined;
  }
  // {"error":{"message":...}}
  if (isRecord(body.error)) return fromJson(body.error);
  return undefined;
}

/** One message from any error body Central sends; falls back to the raw text, then `HTTP <status>`. */
export function parseErrorBody(
  status: number,
  contentType: string | undefined,
  rawText: string,
  secrets?: Iterable<string | undefined>,
): ParsedErrorBody {
  const cap = (message: string) => maskAndCap(message, secrets);
  const text = rawText.trim();
  if (text === '') return { message: `HTTP ${status}` };
  const looksJson = /json/i.test(contentType ?? '') || text.startsWith('{') || text.startsWith('[');
  if (looksJson) {
    try {
      const parsed = fromJson(JSON.parse(text));
      if (parsed) return { ...parsed, message: cap(parsed.message) };
    } catch {
      // not JSON after all: use the text
    }
  }
  if (/<html[\s>]/i.test(text) || /^<!doctype/i.test(text)) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
    return { message: cap(title && title.trim() !== '' ? title : `HTTP ${status}`) };
  }
  return { message: cap(text) };
}

export interface RequestContext {
  method: string;
  /** The full URL of the request (query included: it is redacted). */
  url: string;
  timeoutMs?: number;
  secrets?: Iterable<string | undefined>;
  /** Retries already spent (for the message of the final error). */
  retries?: number;
  dayRemaining?: number;
  dayLimit?: number;
}

export interface HttpFailure {
  status: number;
  contentType?: string;
  text: string;
}

function hostOf(url: string): { host: string; hostPort: string; path: string } {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return { host: u.hostname, hostPort: `${u.hostname}:${port}`, path: u.pathname };
  } catch {
    return { host: url, hostPort: url, path: url };
  }
}

const LOGIN_HINT =
  'Run `msp-license login` again, or `msp-license auth refresh` if the refresh token is still valid.';

/** Map an HTTP error status (and its body) to a CliError. */
/**
 * A 403 names its cause when the body does: a token outside the MSP account (the gateway answers
 * `{"message":"Permission denied"}` for it on MSP calls, as docs/central-contract.md records) or a role
 * without the permission (words such as role, privilege, insufficient: inferred).
 */
function forbidden(message: string, method: string, path: string, base: { httpStatus: number }): CliError {
  const where = `(${message}, HTTP 403, ${method} ${path})`;
  if (/role|privilege|insufficient|not authori[sz]ed|scope/i.test(message)) {
    return new AuthError(
      `Permission denied: the API client's role lacks the permission for this call ${where}`,
      {
        ...base,
        hint: 'In Central, give the API client (or its user) a role with the licensing / MSP permissions, then try again.',
      },
    );
  }
  if (/\bmsp\b/i.test(message)) {
    return new AuthError(`Permission denied: the token must belong to the MSP account ${where}`, {
      ...base,
      hint: 'Create the API token in the MSP account (not in a tenant) with API Gateway access, then `msp-license login`.',
    });
  }
  return new AuthError(
    `Permission denied ${where}: either the token is not the MSP account's, or its role lacks the permission`,
    {
      ...base,
      hint: 'Check that the API token was created in the MSP account (not in a tenant), and that its role allows licensing; `msp-license doctor` checks the MSP token.',
    },
  );
}

export function httpError(failure: HttpFailure, ctx: RequestContext): CliError {
  const { status } = failure;
  const secrets = ctx.secrets ? [...ctx.secrets] : undefined;
  const parsed = parseErrorBody(status, failure.contentType, failure.text, secrets);
  const message = parsed.message;
  const { path } = hostOf(ctx.url);
  const base = { httpStatus: status };
  if (status === 401) {
    return new AuthError(`Central rejected the access token: ${message} (HTTP 401)`, {
      ...base,
      hint: LOGIN_HINT,
    });
  }
  if (status === 403) return forbidden(message, ctx.method, path, base);
  if (status === 429) {
    const retries = ctx.retries ? ` after ${ctx.retries} ${ctx.retries === 1 ? 'retry' : 'retries'}` : '';
    const dayOut = ctx.dayRemaining !== undefined && ctx.dayRemaining <= 0;
    return new RateLimitError(`Rate limited by Central${retries}: ${message} (HTTP 429)`, {
      ...base,
      hint: dayOut
        ? `The daily API budget${ctx.dayLimit ? ` of ${ctx.dayLimit} calls` : ''} is used up; it resets at midnight GMT.`
        : 'Central allows 7 calls per second and a daily budget; wait a little and run the command again.',
    });
  }
  if (status === 404) {
    // Central answers 404 for paths it does not have: most often a gateway URL that is not a
    // Central API gateway (the UI's address, a proxy, a typo).
    const detail = message === `HTTP ${status}` ? '' : `: ${message}`;
    return new ApiError(`Not found: ${ctx.method} ${path} (HTTP 404${detail})`, {
      httpStatus: status,
      hint: `Is the gateway URL right? ${hostOf(ctx.url).host} has no such API path; 'msp-license auth status' shows the gateway in use (a cluster name picks the right one: login --cluster).`,
    });
  }
  return new ApiError(`${message} (HTTP ${status})`, { httpStatus: status, retryable: status >= 500 });
}

/** Node and undici error codes, looking through `cause` and AggregateError. */
export function errorCode(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '' && code !== 'UND_ERR') return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      current = errors[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

export type NetworkFailureKind = 'dns' | 'refused' | 'reset' | 'timeout' | 'tls' | 'unreachable' | 'other';

/** What kind of network failure this is, and whether the request provably never reached the server. */
export function classifyNetworkError(err: unknown): {
  kind: NetworkFailureKind;
  code?: string;
  notSent: boolean;
} {
  const code = errorCode(err);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return { kind: 'dns', code, notSent: true };
    case 'ECONNREFUSED':
      return { kind: 'refused', code, notSent: true };
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return { kind: 'unreachable', code, notSent: true };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'timeout', code, notSent: true };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return { kind: 'timeout', code, notSent: false };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { kind: 'reset', code, notSent: false };
    default:
      if (code && (TLS_CODES.has(code) || /CERT|TLS|SSL/.test(code)))
        return { kind: 'tls', code, notSent: true };
      return { kind: 'other', code, notSent: false };
  }
}

/** A TLS failure that means the peer speaks no TLS at all (OpenSSL's "wrong version number"). */
function plainHttpPeer(err: unknown, code: string | undefined): boolean {
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_HTTP_REQUEST') return true;
  const text =
    err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : '';
  return code === 'EPROTO' && /wrong version number|http request|packet length too long/i.test(text);
}

/** Map a thrown network error to a NetworkError with a specific, friendly message. */
export function networkError(err: unknown, ctx: RequestContext): CliError {
  const { host, hostPort } = hostOf(ctx.url);
  const { kind, code } = classifyNetworkError(err);
  const timeoutMs = ctx.timeoutMs ?? 30_000;
  const within = timeoutMs < 1000 ? `${timeoutMs}ms` : `${Math.round(timeoutMs / 1000)}s`;
  const after = ctx.retries ? ` (after ${ctx.retries} ${ctx.retries === 1 ? 'retry' : 'retries'})` : '';
  const secrets = ctx.secrets ? [...ctx.secrets] : undefined;
  let message: string;
  let hint: string | undefined;
  let retryable = true;
  switch (kind) {
    case 'dns':
      message = `Cannot resolve ${host} (${code})`;
      hint =
        'Check the gateway URL (`msp-license auth status`), your DNS, and HTTPS_PROXY if you need a proxy.';
      retryable = code === 'EAI_AGAIN';
      break;
    case 'refused':
      message = `Connection refused by ${hostPort}`;
      hint = 'Check the gateway URL and port; if a proxy is required, set HTTPS_PROXY.';
      break;
    case 'unreachable':
      message = `Network unreachable: cannot reach ${hostPort} (${code})`;
      hint = 'Check your network connection, or set HTTPS_PROXY if you need a proxy.';
      break;
    case 'reset':
      message = `Connection reset by ${host}`;
      hint = 'The gateway or a proxy closed the connection; try again in a moment.';
      break;
    case 'timeout':
      message =
        code === 'UND_ERR_CONNECT_TIMEOUT'
          ? `Could not connect to ${hostPort}: no answer within the connect timeout`
          : `No answer from ${host} within ${within}`;
      hint = 'Central may be slow or unreachable; try again, or check HTTPS_PROXY / NO_PROXY.';
      break;
    case 'tls':
      if (plainHttpPeer(err, code)) {
        // https:// to a port that answers in plain HTTP (the sandbox, a wrong port): no certificate
        // was ever seen, so saying it is untrusted would send the user after the wrong problem.
        message = `TLS handshake with ${hostPort} failed: it does not answer in TLS (${code}); is it a plain http:// port?`;
        hint =
          'Check the gateway URL: https:// needs a TLS port (Central uses 443); the local sandbox speaks http://.';
        retryable = false;
        break;
      }
      message =
        code === 'CERT_HAS_EXPIRED'
          ? `TLS certificate of ${host} not trusted: it has expired (${code})`
          : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? `TLS certificate of ${host} not trusted: it does not match the host name (${code})`
            : `TLS certificate of ${host} not trusted (${code})`;
      hint =
        'Certificates are always verified; if a proxy re-signs traffic, trust its CA with NODE_EXTRA_CA_CERTS=/path/to/ca-bundle.pem.';
      retryable = false;
      break;
    default: {
      const detail = err instanceof Error && err.message ? err.message : String(err);
      message = `Network error talking to ${host}: ${maskAndCap(detail, secrets)}${code ? ` (${code})` : ''}`;
      hint = 'Check your network connection and HTTPS_PROXY / NO_PROXY.';
    }
  }
  return new NetworkError(redact(message + after, secrets), { hint, retryable, cause: err });
}
