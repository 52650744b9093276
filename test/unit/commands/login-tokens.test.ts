// login's credentials, one line per case: cluster names, the Download Token JSON, the profile stored.
import { describe, expect, test } from 'vitest';
import { CLUSTERS } from '../../../src/central/clusters.js';
import { clusterUrl, fromDownload, profileFrom } from '../../../src/commands/login/tokens.js';
import type { Profile } from '../../../src/config/store.js';
import { UsageError } from '../../../src/errors.js';

describe('clusterUrl', () => {
  const [name, url] = Object.entries(CLUSTERS)[0] as [string, string];
  test.each([
    [name, url],
    [name.toUpperCase(), url],
  ])('%s → its gateway', (given, expected) => expect(clusterUrl(given)).toBe(expected));
  test('an unknown name: exit 2, the known names in the hint', () => {
    const error = (() => {
      try {
        clusterUrl('mars-1');
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toBe("Unknown cluster 'mars-1'.");
    expect(error?.hint).toContain(name);
  });
});

describe('fromDownload', () => {
  const token = {
    access_token: 'A',
    refresh_token: 'R',
    expires_in: 7200,
    created_at: '2026-01-01T00:00:00Z',
  };
  test('the tokens and their issue time', () =>
    expect(fromDownload(JSON.stringify(token), 'f.json')).toEqual({
      accessToken: 'A',
      refreshToken: 'R',
      expiresIn: 7200,
      issuedAt: Date.parse('2026-01-01T00:00:00Z'),
    }));
  test.each([['not json'], ['{}'], ['[]']])('%s: a usage error naming the source', (text) =>
    expect(() => fromDownload(text, 'f.json')).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^f\.json: /) }),
    ),
  );
});

describe('profileFrom', () => {
  const now = Date.parse('2026-02-01T00:00:00Z');
  const iso = new Date(now).toISOString();
  const given = { name: 'p', baseUrl: 'https://g', clientId: 'id' };
  const existing: Profile = {
    name: 'p',
    baseUrl: 'https://old',
    clientId: 'old',
    clientSecret: 'S0',
    refreshToken: 'R0',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    sandbox: true,
  } as Profile;
  test.each([
    [
      'new, tokens with an issue time',
      undefined,
      { accessToken: 'A', expiresIn: 60, issuedAt: now - 1000 },
      { accessToken: 'A', accessTokenExpiresAt: new Date(now + 59_000).toISOString(), createdAt: iso },
    ],
    [
      'no expiry said: two hours',
      undefined,
      { accessToken: 'A' },
      { accessTokenExpiresAt: new Date(now + 7_200_000).toISOString() },
    ],
    [
      'a refresh token: its issue time now',
      undefined,
      { refreshToken: 'R' },
      { refreshToken: 'R', refreshTokenIssuedAt: iso },
    ],
    [
      'existing: created kept, the rest replaced',
      existing,
      { refreshToken: 'R' },
      {
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: iso,
        baseUrl: 'https://g',
        clientId: 'id',
        clientSecret: 'S0',
        refreshToken: 'R',
      },
    ],
  ] as const)('%s', (_name, before, tokens, expected) =>
    expect(profileFrom(before, given, { ...tokens }, now)).toMatchObject(expected),
  );
  test('the sandbox mark is dropped; the cluster lower-cased', () => {
    const profile = profileFrom(existing, { ...given, cluster: 'EU-1' }, undefined, now);
    expect(profile).not.toHaveProperty('sandbox');
    expect(profile.cluster).toBe('eu-1');
  });
  test('no secret given keeps no secret key', () =>
    expect(profileFrom(undefined, given, undefined, now)).not.toHaveProperty('clientSecret'));
});
