import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  httpError,
  networkError,
  parseErrorBody,
} from '../../../src/central/errors.js';
import { ApiError, AuthError, ExitCode, NetworkError, RateLimitError } from '../../../src/errors.js';

const J = 'application/json';
const ctx = { method: 'GET', url: 'https://apigw.example.com/msp_api/v1/customers?offset=0' };

describe('parseErrorBody', () => {
  it('reads the OAuth shape', () => {
    const r = parseErrorBody(401, J, '{"error":"invalid_token","error_description":"Access token expired"}');
    expect(r).toEqual({ message: 'Access token expired (invalid_token)', code: 'invalid_token' });
  });
  it('reads {description,error_code,service_name}', () => {
    const r = parseErrorBody(
      400,
      J,
      '{"description":"Invalid customer","error_code":"0001","service_name":"msp"}',
    );
    expect(r).toEqual({ message: 'Invalid customer', code: '0001' });
  });
  it('reads {message}', () => {
    expect(parseErrorBody(429, J, '{"message":"API rate limit exceeded"}').message).toBe(
      'API rate limit exceeded',
    );
  });
  it('reads {detail}', () => {
    expect(parseErrorBody(400, J, '{"detail":"services is required"}').message).toBe('services is required');
  });
  it('reads {status:[{message:{msg}}]}', () => {
    const r = parseErrorBody(
      409,
      J,
      '{"status":[{"message":{"msg":"request unsuccessful"}},{"message":{"msg":"x"}}]}',
    );
    expect(r.message).toBe('request unsuccessful; x');
  });
  it('reads {error_code:400,message}', () => {
    expect(parseErrorBody(400, J, '{"error_code":400,"message":"Bad service"}')).toEqual({
      message: 'Bad service',
      code: '400',
    });
  });
  it('reads plain text, trimmed and capped', () => {
    expect(
      parseErrorBody(503, 'text/plain', '  upstream connect error or disconnect/reset before headers \n')
        .message,
    ).toBe('upstream connect error or disconnect/reset before headers');
    expect(parseErrorBody(502, 'text/plain', 'x'.repeat(1000)).message.length).toBeLessThanOrEqual(300);
  });
  it('falls back to raw text for unknown JSON and to HTTP <status> when empty', () => {
    expect(parseErrorBody(500, J, '{"foo":1}').message).toBe('{"foo":1}');
    expect(parseErrorBody(500, J, '   ').message).toBe('HTTP 500');
    expect(parseErrorBody(500, J, '{not json').message).toBe('{not json');
  });
  it('takes the title of an HTML page', () => {
    expect(parseErrorBody(502, 'text/html', '<html><title>502 Bad Gateway</title></html>').message).toBe(
      '502 Bad Gateway',
    );
  });
});

describe('httpError and networkError', () => {
  it('maps 401 and 403 to AuthError (exit 4)', () => {
    const e401 = httpError({ status: 401, contentType: J, text: '{"error":"invalid_token"}' }, ctx);
    expect(e401).toBeInstanceOf(AuthError);
    expect(e401.exitCode).toBe(ExitCode.auth);
    const e403 = httpError({ status: 403, text: '{"message":"Permission denied"}' }, ctx);
    expect(e403).toBeInstanceOf(AuthError);
    expect(e403.message).toContain("either the token is not the MSP account's, or its role lacks");
    expect(e403.httpStatus).toBe(403);
    // The body names the cause: the MSP account, or the role.
    const msp = httpError({ status: 403, text: '{"message":"Only an MSP token can call this API"}' }, ctx);
    expect(msp.message).toContain('the token must belong to the MSP account');
    expect(msp.hint).toMatch(/MSP account/);
    const role = httpError(
      { status: 403, text: '{"description":"User role has insufficient privileges","error_code":"0001"}' },
      ctx,
    );
    expect(role.message).toContain("the API client's role lacks the permission");
    expect(role.hint).toMatch(/role/);
    expect(role.exitCode).toBe(ExitCode.auth);
  });
  it('maps 429 to RateLimitError (exit 5)', () => {
    const e = httpError(
      { status: 429, text: '{"message":"API rate limit exceeded"}' },
      { ...ctx, retries: 5 },
    );
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.exitCode).toBe(5);
    expect(e.message).toContain('after 5 retries');
  });
  it('says when the daily budget is used up', () => {
    const e = httpError({ status: 429, text: '' }, { ...ctx, dayRemaining: 0, dayLimit: 5000 });
    expect(e.hint).toContain('daily API budget of 5000 calls');
  });
  it('maps other statuses to ApiError with the status', () => {
    const e = httpError({ status: 417, text: '{"detail":"request size limit exceeded"}' }, ctx);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.httpStatus).toBe(417);
    expect(e.message).toBe('request size limit exceeded (HTTP 417)');
    expect(e.exitCode).toBe(1);
  });
  it('redacts secrets echoed in an error body', () => {
    const e = httpError(
      { status: 400, text: '{"message":"bad token abcdef123456 for refresh_token=zzz"}' },
      { ...ctx, secrets: ['abcdef123456'] },
    );
    expect(e.message).not.toContain('abcdef123456');
    expect(e.message).toContain('***');
  });

  const net = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
  it.each([
    ['ENOTFOUND', 'Cannot resolve apigw.example.com'],
    ['EAI_AGAIN', 'Cannot resolve apigw.example.com'],
    ['ECONNREFUSED', 'Connection refused by apigw.example.com:443'],
    ['ECONNRESET', 'Connection reset by apigw.example.com'],
    ['UND_ERR_SOCKET', 'Connection reset by apigw.example.com'],
    ['UND_ERR_HEADERS_TIMEOUT', 'No answer from apigw.example.com within 30s'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS certificate of apigw.example.com not trusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'NODE_EXTRA_CA_CERTS'],
    ['CERT_HAS_EXPIRED', 'expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'does not match'],
  ])('maps %s to a NetworkError (exit 6) saying "%s"', (code, text) => {
    const e = networkError(net(code), ctx);
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.exitCode).toBe(ExitCode.network);
    expect(`${e.message} ${e.hint}`).toContain(text);
  });
  it('says the CA hint once: in the hint, not in the message too', () => {
    const e = networkError(net('SELF_SIGNED_CERT_IN_CHAIN'), ctx);
    expect(e.message).not.toContain('NODE_EXTRA_CA_CERTS');
    expect(e.hint).toContain('NODE_EXTRA_CA_CERTS');
  });
  it('https:// to a plain-HTTP port is not an untrusted certificate', () => {
    const e = networkError(net('ERR_SSL_WRONG_VERSION_NUMBER'), ctx);
    expect(e.message).toContain('does not answer in TLS');
    expect(e.message).not.toMatch(/not trusted/);
    expect(e.hint).toMatch(/http:\/\//);
  });
  it('finds the code inside an AggregateError or a cause', () => {
    const agg = new AggregateError([net('ECONNREFUSED'), net('ECONNREFUSED')], 'x');
    expect(classifyNetworkError(agg)).toMatchObject({ kind: 'refused', notSent: true });
    const wrapped = new Error('fetch failed', { cause: net('ENOTFOUND') });
    expect(classifyNetworkError(wrapped)).toMatchObject({ kind: 'dns', notSent: true });
  });
});
