import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFile, readCache, writeCache } from '../../../src/config/cache.js';
import { mode, tempDir } from './helpers.js';

let root: string;
let dir: string;

beforeEach(() => {
  root = tempDir();
  dir = path.join(root, 'msp-license');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('cache', () => {
  it('lives at <dir>/cache/<profile>/<name>.json', () => {
    expect(cacheFile(dir, 'prod', 'services')).toBe(path.join(dir, 'cache', 'prod', 'services.json'));
  });

  it('round-trips an entry with fetchedAt and baseUrl; folders 0700, file 0600, no temp files left', () => {
    const before = Date.now();
    writeCache(dir, 'prod', 'services', 'https://example.test', [{ name: 'foundation_ap' }]);
    const entry = readCache<Array<{ name: string }>>(dir, 'prod', 'services');
    expect(entry?.data).toEqual([{ name: 'foundation_ap' }]);
    expect(entry?.baseUrl).toBe('https://example.test');
    expect(entry?.fetchedAt).toBeGreaterThanOrEqual(before);
    expect(entry?.fetchedAt).toBeLessThanOrEqual(Date.now());
    for (const folder of [dir, path.join(dir, 'cache'), path.join(dir, 'cache', 'prod')]) {
      expect(mode(folder)).toBe(0o700);
    }
    const file = cacheFile(dir, 'prod', 'services');
    expect(mode(file)).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['services.json']);
  });

  it('replaces the file by rename (a new inode), never by rewriting it in place', () => {
    writeCache(dir, 'prod', 'customers', 'https://example.test', [1]);
    const file = cacheFile(dir, 'prod', 'customers');
    const inode = fs.statSync(file).ino;
    writeCache(dir, 'prod', 'customers', 'https://example.test', [1, 2]);
    expect(fs.statSync(file).ino).not.toBe(inode);
    expect(readCache(dir, 'prod', 'customers')?.data).toEqual([1, 2]);
    // No temp file left; the customers' completion candidates (written with them) are 0600 too.
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['customers.candidates', 'customers.json']);
    expect(mode(path.join(path.dirname(file), 'customers.candidates'))).toBe(0o600);
  });

  it('returns undefined for missing, corrupt or mis-shaped files, without creating anything', () => {
    expect(readCache(dir, 'prod', 'services')).toBeUndefined();
    expect(fs.existsSync(dir)).toBe(false);
    const file = cacheFile(dir, 'prod', 'services');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const content of [
      '',
      '{"fetchedAt":1,',
      'null',
      '[]',
      '{"fetchedAt":"1","baseUrl":"u","data":1}',
      '{"fetchedAt":1,"baseUrl":"u"}',
    ]) {
      fs.writeFileSync(file, content);
      expect(readCache(dir, 'prod', 'services')).toBeUndefined();
    }
    fs.rmSync(file);
    fs.mkdirSync(file);
    expect(readCache(dir, 'prod', 'services')).toBeUndefined();
  });

  it('refuses names that could leave the cache folder', () => {
    for (const bad of ['..', '.', 'a/b', '', 'a b', 'x'.repeat(201)]) {
      expect(readCache(dir, bad, 'services')).toBeUndefined();
      expect(() => writeCache(dir, bad, 'services', 'u', 1)).toThrow(TypeError);
      expect(() => writeCache(dir, 'prod', bad, 'u', 1)).toThrow(TypeError);
    }
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('accepts long keys derived from a gateway URL', () => {
    const key = `env-${'https://internal.apigw.central.arubanetworks.com/some/long/path'.replace(/[^A-Za-z0-9.-]+/g, '_')}`;
    writeCache(dir, key, 'services', 'u', 1);
    expect(readCache(dir, key, 'services')?.data).toBe(1);
  });
});
