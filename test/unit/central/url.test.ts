import { describe, expect, it } from 'vitest';
import { CLUSTERS } from '../../../src/central/clusters.js';
import { checkBaseUrl } from '../../../src/central/url.js';
import { UsageError } from '../../../src/errors.js';

describe('checkBaseUrl', () => {
  it('accepts https and drops the trailing slash', () => {
    expect(checkBaseUrl('https://apigw-prod2.central.arubanetworks.com/')).toBe(
      'https://apigw-prod2.central.arubanetworks.com',
    );
    expect(checkBaseUrl(' HTTPS://Example.COM:8443/base/ ')).toBe('https://example.com:8443/base');
  });
  it.each(['http://127.0.0.1:4010', 'http://localhost:8080/', 'http://[::1]:9000', 'http://127.1.2.3'])(
    'accepts loopback http %s',
    (url) => {
      expect(checkBaseUrl(url).startsWith('http://')).toBe(true);
      expect(checkBaseUrl(url).endsWith('/')).toBe(false);
    },
  );
  it.each([
    ['http://apigw.example.com', /plain http/],
    ['http://128.0.0.1', /plain http/],
    ['http://evil.localhost:8080', /plain http/],
    ['http://localhost.:8080', /plain http/],
    ['ftp://example.com', /must start with https/],
    ['apigw.example.com', /not a valid URL/],
    ['', /empty/],
    ['https://user:pw@example.com', /user name/],
    ['https://example.com/?x=1', /query/],
  ])('rejects %s', (url, message) => {
    expect(() => checkBaseUrl(url)).toThrow(UsageError);
    expect(() => checkBaseUrl(url)).toThrow(message);
    try {
      checkBaseUrl(url);
    } catch (err) {
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as UsageError).hint).toBeTruthy();
    }
  });
  it('every cluster URL passes', () => {
    for (const url of Object.values(CLUSTERS)) expect(checkBaseUrl(url)).toBe(url);
  });
});
