import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFile, readCache, readCompanion, writeCache } from '../../../src/config/cache.js';
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

describe('customers.table, written with the customers cache', () => {
  const list = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `c${i}`, name: `Name ${i}`, provisionStatus: 'PROVISIONED' }));
  const files = () => {
    const json = cacheFile(dir, 'prod', 'customers');
    return { json, table: path.join(path.dirname(json), 'customers.table') };
  };

  it('a list of more than 10: 0600, by rename, stamped with the cache; read back while they match', () => {
    writeCache(dir, 'prod', 'customers', 'https://example.test', list(11));
    const { json, table } = files();
    expect(mode(table)).toBe(0o600);
    const inode = fs.statSync(table).ino;
    const entry = JSON.parse(fs.readFileSync(json, 'utf8'));
    const text = fs.readFileSync(table, 'utf8');
    expect(text.slice(0, text.indexOf('\n'))).toBe(`${entry.fetchedAt} ${fs.statSync(json).size}`);
    const companion = readCompanion(dir, 'prod', 'customers', 'table');
    expect(companion?.fetchedAt).toBe(entry.fetchedAt);
    expect(companion?.body.toString('utf8')).toBe(text.slice(text.indexOf('\n') + 1));
    expect(companion?.body.toString('utf8')).toMatch(
      /\nCUSTOMER ID +NAME +GROUP +STATUS\nc0 +Name 0 +- +PROVISIONED\n/,
    );
    // Another list: a new file (a new inode), no temp file left.
    writeCache(dir, 'prod', 'customers', 'https://example.test', list(12));
    expect(fs.statSync(table).ino).not.toBe(inode);
    expect(fs.readdirSync(path.dirname(json)).sort()).toEqual([
      'customers.candidates',
      'customers.json',
      'customers.table',
    ]);
  });

  it('is not read once the cache file changes under it, nor when others may write it', () => {
    writeCache(dir, 'prod', 'customers', 'https://example.test', list(11));
    const { json, table } = files();
    expect(readCompanion(dir, 'prod', 'customers', 'table')).toBeDefined();
    fs.chmodSync(table, 0o620);
    expect(readCompanion(dir, 'prod', 'customers', 'table')).toBeUndefined();
    fs.chmodSync(table, 0o600);
    const entry = JSON.parse(fs.readFileSync(json, 'utf8'));
    fs.writeFileSync(json, JSON.stringify({ ...entry, fetchedAt: entry.fetchedAt + 1 }));
    expect(readCompanion(dir, 'prod', 'customers', 'table')).toBeUndefined();
    fs.writeFileSync(json, JSON.stringify({ ...entry, data: list(12) }));
    expect(readCompanion(dir, 'prod', 'customers', 'table')).toBeUndefined();
    fs.rmSync(json);
    expect(readCompanion(dir, 'prod', 'customers', 'table')).toBeUndefined();
  });

  it('a list of 10 or fewer (shown with device counts) has none: an older one is removed', () => {
    writeCache(dir, 'prod', 'customers', 'https://example.test', list(11));
    expect(fs.existsSync(files().table)).toBe(true);
    writeCache(dir, 'prod', 'customers', 'https://example.test', list(10));
    expect(fs.existsSync(files().table)).toBe(false);
    expect(readCompanion(dir, 'prod', 'customers', 'table')).toBeUndefined();
    // Other caches have no companions at all.
    writeCache(dir, 'prod', 'services', 'https://example.test', list(20));
    expect(fs.readdirSync(path.dirname(files().json)).sort()).toEqual([
      'customers.candidates',
      'customers.json',
      'services.json',
    ]);
  });
});
