import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeCache } from '../../../src/config/cache.js';
import { ConfigStore, type Profile, resolveProfileName } from '../../../src/config/store.js';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { mode, tempDir } from './helpers.js';

let root: string;
let dir: string;
let file: string;

beforeEach(() => {
  root = tempDir();
  dir = path.join(root, 'msp-license');
  file = path.join(dir, 'config.json');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function profile(name: string, extra: Partial<Profile> = {}): Profile {
  return {
    name,
    baseUrl: 'https://apigw-prod2.central.arubanetworks.com',
    clientId: `id-${name}`,
    clientSecret: 'secret',
    accessToken: 'access',
    accessTokenExpiresAt: '2025-01-01T02:00:00.000Z',
    refreshToken: 'refresh',
    refreshTokenIssuedAt: '2025-01-01T00:00:00.000Z',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

function writeRaw(content: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, content, { mode: 0o600 });
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ConfigStore: opening', () => {
  it('opens a missing directory as an empty store and creates nothing', () => {
    const store = ConfigStore.open(dir);
    expect(store.path).toBe(file);
    expect(store.dir).toBe(dir);
    expect(store.listProfiles()).toEqual([]);
    expect(store.defaultProfileName()).toBeUndefined();
    expect(store.getProfile('prod')).toBeUndefined();
    expect(store.permissionWarning()).toBeUndefined();
    store.reload();
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('opens an existing directory without a file without writing one', () => {
    fs.mkdirSync(dir);
    ConfigStore.open(dir).listProfiles();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('reading never writes: bytes, mtime and folder listing stay the same', () => {
    ConfigStore.open(dir).saveProfile(profile('prod'));
    const old = new Date('2024-01-01T00:00:00Z');
    fs.utimesSync(file, old, old);
    const bytes = fs.readFileSync(file);
    const store = ConfigStore.open(dir);
    store.listProfiles();
    store.getProfile('prod');
    store.reload();
    resolveProfileName(store, undefined, {});
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.statSync(file).mtimeMs).toBe(old.getTime());
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });

  it.each([
    ['truncated JSON', '{"version":1,"profiles":{"prod":{'],
    ['an empty file', ''],
    ['garbage', '\u0000\u0001not json at all'],
  ])('reports %s with the path and a hint, and leaves it byte-for-byte unchanged', (_what, content) => {
    writeRaw(content);
    const before = fs.readFileSync(file);
    const error = catchError(() => ConfigStore.open(dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(file);
    expect((error as ConfigError).message).toContain('not valid JSON');
    expect((error as ConfigError).hint).toMatch(/move it aside.*it was not changed/);
    expect((error as ConfigError).exitCode).toBe(1);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });

  it('reports an unreadable config (a folder in its place) with the path', () => {
    fs.mkdirSync(file, { recursive: true });
    const error = catchError(() => ConfigStore.open(dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(file);
    expect((error as ConfigError).message).toContain('cannot be read');
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without read permission with the path', () => {
    writeRaw('{"version":1,"profiles":{}}');
    fs.chmodSync(file, 0o000);
    const error = catchError(() => ConfigStore.open(dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(file);
  });

  it.each([
    [
      'a profile without clientId',
      '{"version":1,"profiles":{"prod":{"baseUrl":"https://x"}}}',
      'profiles.prod.clientId',
    ],
    ['profiles that is not an object', '{"version":1,"profiles":[]}', 'profiles'],
    ['a top level that is an array', '[1,2]', 'expected a JSON object'],
    ['a top level that is null', 'null', 'expected a JSON object'],
    ['a top level that is a string', '"text"', 'expected a JSON object'],
    ['an invalid profile name', '{"profiles":{"a b":{"baseUrl":"https://x","clientId":"c"}}}', '"a b"'],
    ['a newer format version', '{"version":2,"profiles":{}}', 'version 2'],
  ])('rejects %s as a ConfigError naming the file, unchanged', (_what, content, detail) => {
    writeRaw(content);
    const error = catchError(() => ConfigStore.open(dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(file);
    expect((error as ConfigError).message).toContain(detail);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
  });

  it('is lenient: unknown keys survive a write, nulls read as absent, missing timestamps as the epoch', () => {
    writeRaw(
      JSON.stringify({
        version: 1,
        future: { x: 1 },
        profiles: { prod: { baseUrl: 'https://x', clientId: 'c', clientSecret: null, extraField: 'kept' } },
      }),
    );
    const store = ConfigStore.open(dir);
    const prod = store.getProfile('prod');
    expect(prod).toMatchObject({
      name: 'prod',
      baseUrl: 'https://x',
      clientId: 'c',
      createdAt: new Date(0).toISOString(),
    });
    expect(prod).not.toHaveProperty('clientSecret');
    store.updateProfile('prod', { accessToken: 't' });
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(raw.future).toEqual({ x: 1 });
    expect(raw.profiles.prod.extraField).toBe('kept');
    expect(raw.profiles.prod.accessToken).toBe('t');
  });

  it('accepts {} (an empty conf store) as no profiles', () => {
    writeRaw('{}');
    expect(ConfigStore.open(dir).listProfiles()).toEqual([]);
  });
});

describe('ConfigStore: writing', () => {
  it('creates the directory 0700 and the file 0600 in the documented shape, even with umask 0', () => {
    const umask = process.umask(0);
    try {
      ConfigStore.open(dir).saveProfile(profile('prod'));
    } finally {
      process.umask(umask);
    }
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(raw).toEqual({ version: 1, defaultProfile: 'prod', profiles: { prod: profile('prod') } });
    expect(ConfigStore.open(dir).getProfile('prod')).toEqual(profile('prod'));
  });

  it('writes atomically: a new inode by rename, no temp file left', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('prod'));
    const inode = fs.statSync(file).ino;
    store.updateProfile('prod', { accessToken: 'new' });
    expect(fs.statSync(file).ino).not.toBe(inode);
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
    expect(mode(file)).toBe(0o600);
  });

  it('tightens a 0644 file back to 0600 when it writes', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('prod'));
    fs.chmodSync(file, 0o644);
    store.setDefault('prod');
    expect(mode(file)).toBe(0o600);
  });

  it('never overwrites a file that became corrupt after it was opened', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('prod'));
    fs.writeFileSync(file, '{"broken');
    expect(() => store.updateProfile('prod', { accessToken: 'x' })).toThrow(ConfigError);
    expect(() => store.saveProfile(profile('other'))).toThrow(ConfigError);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"broken');
  });

  it('rejects invalid profile names with a UsageError and writes nothing', () => {
    const store = ConfigStore.open(dir);
    for (const name of ['', 'a b', '..', 'x'.repeat(65), 'a/b', '__proto__']) {
      expect(() => store.saveProfile(profile(name))).toThrow(UsageError);
    }
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('handles names with dots (conf dot-notation is off)', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('eu.prod-2'));
    expect(ConfigStore.open(dir).getProfile('eu.prod-2')?.clientId).toBe('id-eu.prod-2');
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).profiles)).toEqual(['eu.prod-2']);
  });

  it('makes the first profile the default; later ones only when asked', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('a'));
    store.saveProfile(profile('b'));
    expect(store.defaultProfileName()).toBe('a');
    store.saveProfile(profile('c'), { makeDefault: true });
    expect(store.defaultProfileName()).toBe('c');
    const other = ConfigStore.open(path.join(root, 'other'));
    other.saveProfile(profile('x'), { makeDefault: false });
    expect(other.defaultProfileName()).toBeUndefined();
    expect(store.listProfiles().map((p) => p.name)).toEqual(['a', 'b', 'c']);
  });

  it('updateProfile merges into what is on disk now, so another process’s write survives', () => {
    const a = ConfigStore.open(dir);
    a.saveProfile(profile('prod'));
    const b = ConfigStore.open(dir);
    b.updateProfile('prod', { refreshToken: 'rotated-by-b' });
    const result = a.updateProfile('prod', { accessToken: 'from-a' });
    expect(result).toMatchObject({ refreshToken: 'rotated-by-b', accessToken: 'from-a' });
    expect(ConfigStore.open(dir).getProfile('prod')).toMatchObject({
      refreshToken: 'rotated-by-b',
      accessToken: 'from-a',
    });
    // reload() brings b up to date without a write.
    expect(b.getProfile('prod')?.accessToken).toBe('access');
    b.reload();
    expect(b.getProfile('prod')?.accessToken).toBe('from-a');
  });

  it('updateProfile removes keys set to undefined, keeps the name, and stamps updatedAt', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('prod'));
    const before = Date.now();
    const updated = store.updateProfile('prod', { accessToken: undefined, name: 'renamed' });
    expect(updated.name).toBe('prod');
    expect(updated).not.toHaveProperty('accessToken');
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(store.getProfile('renamed')).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).profiles.prod).not.toHaveProperty('accessToken');
    expect(() => store.updateProfile('missing', {})).toThrow(UsageError);
  });

  it('forgetSecrets drops the client secret and tokens and keeps the rest', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('prod', { cluster: 'us-2' }));
    store.forgetSecrets('prod');
    const raw = fs.readFileSync(file, 'utf8');
    for (const secret of ['"secret"', '"access"', '"refresh"']) expect(raw).not.toContain(secret);
    expect(store.getProfile('prod')).toMatchObject({ name: 'prod', clientId: 'id-prod', cluster: 'us-2' });
    expect(store.defaultProfileName()).toBe('prod');
    expect(() => store.forgetSecrets('missing')).toThrow(UsageError);
  });

  it('removeProfile removes it, its caches, and the default pointing at it', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('a'));
    store.saveProfile(profile('b'));
    writeCache(dir, 'a', 'services', 'u', [1]);
    writeCache(dir, 'b', 'services', 'u', [1]);
    store.removeProfile('a');
    expect(store.listProfiles().map((p) => p.name)).toEqual(['b']);
    expect(store.defaultProfileName()).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).not.toHaveProperty('defaultProfile');
    expect(fs.existsSync(path.join(dir, 'cache', 'a'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'cache', 'b'))).toBe(true);
    expect(() => store.removeProfile('a')).toThrow(UsageError);
  });

  it("saveProfile over another API client's profile of that name forgets its caches; the same client keeps them", () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('a'));
    store.saveProfile(profile('b'));
    writeCache(dir, 'a', 'customers', 'u', [{ id: 'old-account' }]);
    writeCache(dir, 'b', 'customers', 'u', [{ id: 'kept' }]);
    // A new login of the same client (fresh tokens): its customers are still its customers.
    store.saveProfile(profile('a', { accessToken: 'new' }));
    expect(fs.existsSync(path.join(dir, 'cache', 'a', 'customers.json'))).toBe(true);
    // Another client under the same name and gateway: perhaps another account.
    store.saveProfile(profile('a', { clientId: 'another-client' }));
    expect(fs.existsSync(path.join(dir, 'cache', 'a'))).toBe(false);
    expect(store.getProfile('a')).toMatchObject({ clientId: 'another-client' });
    expect(fs.existsSync(path.join(dir, 'cache', 'b', 'customers.json'))).toBe(true);
  });

  it('setDefault needs an existing profile', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('a'));
    store.saveProfile(profile('b'));
    store.setDefault('b');
    expect(ConfigStore.open(dir).defaultProfileName()).toBe('b');
    expect(() => store.setDefault('nope')).toThrow(UsageError);
  });

  it('a default naming a missing profile reads as no default', () => {
    writeRaw('{"version":1,"defaultProfile":"gone","profiles":{}}');
    expect(ConfigStore.open(dir).defaultProfileName()).toBeUndefined();
  });
});

describe('ConfigStore.permissionWarning', () => {
  it('is silent for 0700/0600 and names what group or others can reach', () => {
    const store = ConfigStore.open(dir);
    store.saveProfile(profile('prod'));
    expect(store.permissionWarning()).toBeUndefined();
    fs.chmodSync(file, 0o644);
    expect(store.permissionWarning()).toContain(`${file} is accessible by other users (mode 0644)`);
    expect(store.permissionWarning()).not.toContain(`${dir} is`);
    fs.chmodSync(file, 0o600);
    fs.chmodSync(dir, 0o750);
    expect(store.permissionWarning()).toContain(`chmod 0700 ${dir}`);
  });
});

describe('resolveProfileName', () => {
  it('takes the flag, then MSP_LICENSE_PROFILE, then the default, then the only profile', () => {
    const store = ConfigStore.open(dir);
    expect(resolveProfileName(store, undefined, {})).toBeUndefined();
    store.saveProfile(profile('only'), { makeDefault: false });
    expect(resolveProfileName(store, undefined, {})).toBe('only');
    store.saveProfile(profile('second'), { makeDefault: false });
    expect(resolveProfileName(store, undefined, {})).toBeUndefined();
    store.setDefault('second');
    expect(resolveProfileName(store, undefined, {})).toBe('second');
    expect(resolveProfileName(store, undefined, { MSP_LICENSE_PROFILE: 'env' })).toBe('env');
    expect(resolveProfileName(store, 'flag', { MSP_LICENSE_PROFILE: 'env' })).toBe('flag');
    expect(resolveProfileName(store, '', { MSP_LICENSE_PROFILE: '' })).toBe('second');
  });

  it('rejects an invalid name from the flag or the environment with a UsageError', () => {
    const store = ConfigStore.open(dir);
    expect(() => resolveProfileName(store, '../x', {})).toThrow(UsageError);
    expect(() => resolveProfileName(store, undefined, { MSP_LICENSE_PROFILE: 'a b' })).toThrow(UsageError);
  });

  it('reads process.env by default', () => {
    const store = ConfigStore.open(dir);
    const saved = process.env.MSP_LICENSE_PROFILE;
    process.env.MSP_LICENSE_PROFILE = 'from-env';
    try {
      expect(resolveProfileName(store)).toBe('from-env');
    } finally {
      if (saved === undefined) delete process.env.MSP_LICENSE_PROFILE;
      else process.env.MSP_LICENSE_PROFILE = saved;
    }
  });
});
