// The OAuth calls: the token refresh (refresh tokens rotate: run only under the refresh lock,
// src/central/auth.ts) and the three-call username/password login with its cookies.
import { ApiError, AuthError, CliError, InterruptedError, NetworkError, RateLimitError } from '../errors.js';
import { PATHS } from './api.js';
import { parseErrorBody } from './errors.js';
import { CentralClient, type ClientOptions, type ClientResponse } from './http.js';
import { parseAuthCode, parseTokenAnswer, type TokenAnswer } from './schemas.js';

/** Options for the calls that build their own client (no bearer token yet). */
export type OAuthOptions = Omit<Partial<ClientOptions>, 'baseUrl' | 'auth'>;

/** The text and the one-line message of an error answer the caller accepted (acceptStatus). */
function answerMessage(res: ClientResponse<unknown>, secrets: string[]): { text: string; message: string } {
  const text = typeof res.body === 'string' ? res.body : res.body == null ? '' : JSON.stringify(res.body);
  const parsed = parseErrorBody(res.status, 'application/json', text, secrets);
  return { text, message: `${parsed.message} (HTTP ${res.status})` };
}

const NEW_TOKEN_HINT =
  'The refresh token was revoked (unused 15 days) or already used by another process; download a new token ' +
  'in Central (API Gateway → System Apps & Tokens) and run `msp-license login --token-file FILE`.';

function oauthClient(baseUrl: string, secrets: string[], options: OAuthOptions): CentralClient {
  return new CentralClient({ ...options, baseUrl, secrets: [...(options.secrets ?? []), ...secrets] });
}

/**
 * POST /oauth2/token with grant_type=refresh_token, the parameters in the query string (as Aruba's
 * SDK does). Refresh tokens rotate, so this runs only under the refresh lock (auth.ts). A retry
 * after a 5xx or a reset is safe here: if the first attempt did rotate the pair, the old token is
 * dead whether we retry or not, and the retry then fails with invalid_grant (AuthError).
 */
export async function refreshTokens(
  baseUrl: string,
  credentials: { clientId: string; clientSecret: string; refreshToken: string },
  options: OAuthOptions = {},
): Promise<TokenAnswer> {
  const client = oauthClient(baseUrl, [credentials.clientSecret, credentials.refreshToken], {
    maxRetries: 3,
    maxRetryMs: 20_000,
    ...options,
  });
  let res: ClientResponse<unknown>;
  try {
    res = await client.request('POST', PATHS.token, {
      noAuth: true,
      idempotent: true,
      query: {
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: credentials.refreshToken,
      },
      acceptStatus: [400, 401, 403, 404],
    });
  } catch (err) {
    throw refreshFailure(err);
  }
  if (res.status >= 400) {
    const { text, message: detail } = answerMessage(res, client.secrets());
    if (res.status === 400 && /invalid_grant|invalid_request|refresh.?token/i.test(text)) {
      throw new AuthError(`Token refresh failed: ${detail}`, { httpStatus: 400, hint: NEW_TOKEN_HINT });
    }
    if (res.status === 401 || /invalid_client/i.test(text)) {
      throw new AuthError(`Token refresh failed: the client id or client secret was rejected (${detail})`, {
        httpStatus: res.status,
        hint: 'Check the client id and secret of the API client in Central (API Gateway → My Apps & Tokens), then `msp-license login`.',
      });
    }
    throw new AuthError(`Token refresh failed: ${detail}`, { httpStatus: res.status, hint: NEW_TOKEN_HINT });
  }
  return parseTokenAnswer(res.body, `POST ${PATHS.token}`);
}

/**
 * Network errors stay NetworkError (exit 6), a 429 stays RateLimitError, a server error (5xx, after
 * the retries) stays ApiError (exit 1, retryable): none says anything about the refresh token, which
 * may well still be good. Any other answer is exit 4.
 */
function refreshFailure(err: unknown): unknown {
  if (!(err instanceof CliError)) return err;
  if (err instanceof ApiError && err.retryable) {
    return new ApiError(`Token refresh failed: ${err.message}`, {
      httpStatus: err.httpStatus,
      retryable: true,
      hint: "The gateway failed, not the token: run the same command again later ('msp-license auth refresh' to try at once).",
      cause: err,
    });
  }
  if (
    err instanceof NetworkError ||
    err instanceof RateLimitError ||
    err instanceof AuthError ||
    err instanceof InterruptedError
  ) {
    return err;
  }
  return new AuthError(`Token refresh failed: ${err.message}`, {
    httpStatus: err.httpStatus,
    hint: err.hint ?? NEW_TOKEN_HINT,
    cause: err,
  });
}

function cookieValue(setCookie: string | undefined, name: string): string | undefined {
  if (!setCookie) return undefined;
  for (const line of setCookie.split(/\n|,(?=\s*[A-Za-z0-9_-]+=)/)) {
    const m = new RegExp(`^\\s*${name}=([^;]*)`).exec(line);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/**
 * Username/password login (non-SSO accounts): the three calls of docs/central-contract.md (§2,
 * then the code exchange of §1, as pycentral's base.py makes them). The login endpoints are
 * throttled hard (as low as 3 per 30 minutes), so nothing here is ever retried.
 */
export async function passwordLogin(
  baseUrl: string,
  input: { clientId: string; clientSecret: string; username: string; password: string; customerId: string },
  options: OAuthOptions = {},
): Promise<TokenAnswer> {
  const secrets = [input.clientSecret, input.password];
  const client = oauthClient(baseUrl, secrets, { ...options, maxRetries: 0, secrets });
  const fail = (step: string, res: ClientResponse<unknown>, hint: string): never => {
    const { message: detail } = answerMessage(res, secrets);
    throw new AuthError(`Login failed at ${step}: ${detail}`, { httpStatus: res.status, hint });
  };
  const accept = [400, 401, 403, 404];

  const login = await client.request('POST', PATHS.login, {
    noAuth: true,
    idempotent: false,
    maxRetries: 0,
    query: { client_id: input.clientId },
    body: { username: input.username, password: input.password },
    acceptStatus: accept,
  });
  if (login.status >= 300) {
    fail(
      'the user login',
      login,
      'Check the user name and password; username/password login works only for non-SSO accounts ' +
        '(otherwise use "Download Token" and `msp-license login --token-file FILE`).',
    );
  }
  const csrf = cookieValue(login.headers['set-cookie'], 'csrftoken');
  const session = cookieValue(login.headers['set-cookie'], 'session');
  if (!csrf || !session) {
    throw new AuthError('Login failed: Central did not return the csrftoken and session cookies.', {
      hint: 'Use "Download Token" in Central and `msp-license login --token-file FILE` instead.',
    });
  }
  secrets.push(csrf, session);

  const authorize = await client.request('POST', PATHS.authorize, {
    noAuth: true,
    idempotent: false,
    maxRetries: 0,
    query: { client_id: input.clientId, response_type: 'code', scope: 'all' },
    body: { customer_id: input.customerId },
    headers: { 'X-CSRF-TOKEN': csrf, Cookie: `session=${session}` },
    acceptStatus: accept,
  });
  if (authorize.status >= 300) {
    fail(
      'the authorisation',
      authorize,
      'Check the customer id (the MSP account id shown in Central) and that the API client belongs to it.',
    );
  }
  const code = parseAuthCode(authorize.body, `POST ${PATHS.authorize}`);
  secrets.push(code);

  const token = await client.request('POST', PATHS.token, {
    noAuth: true,
    idempotent: false,
    maxRetries: 0,
    query: {
      client_id: input.clientId,
      client_secret: input.clientSecret,
      grant_type: 'authorization_code',
      code,
    },
    acceptStatus: accept,
  });
  if (token.status >= 300) {
    fail(
      'the token exchange',
      token,
      'Check the client id and client secret of the API client (API Gateway → My Apps & Tokens).',
    );
  }
  return parseTokenAnswer(token.body, `POST ${PATHS.token}`);
}
