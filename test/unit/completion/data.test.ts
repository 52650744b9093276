import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCompletionData } from '../../../src/completion/data.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function configDir(config: unknown, caches: Record<string, Record<string, unknown>> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-completion-data-'));
  dirs.push(dir);
  if (config !== undefined) {
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      typeof config === 'string' ? config : JSON.stringify(config),
    );
  }
  for (const [profile, names] of Object.entries(caches)) {
    fs.mkdirSync(path.join(dir, 'cache', profile), { recursive: true });
    for (const [name, data] of Object.entries(names)) {
      const entry = { fetchedAt: Date.now(), baseUrl: 'https://127.0.0.1:9', data };
      fs.writeFileSync(path.join(dir, 'cache', profile, `${name}.json`), JSON.stringify(entry));
    }
  }
  return dir;
}

const services = (name: string) => ({ services: [{ name }] });
const names = (entries: Array<{ name: string }>) => entries.map((entry) => entry.name);

describe('createCompletionData', () => {
  it('picks the profile: flag, then MSP_LICENSE_PROFILE, then the default, then the only one', () => {
    const dir = configDir(
      { defaultProfile: 'b', profiles: { a: {}, b: {}, c: {} } },
      { a: services('from_a'), b: services('from_b'), c: services('from_c') },
    );
    const data = createCompletionData({ MSP_LICENSE_CONFIG_DIR: dir, MSP_LICENSE_PROFILE: 'c' });
    expect(names(data.services('a'))).toEqual(['from_a']);
    expect(names(data.services(undefined))).toEqual(['from_c']);
    expect(names(createCompletionData({ MSP_LICENSE_CONFIG_DIR: dir }).services(undefined))).toEqual([
      'from_b',
    ]);
    const only = configDir({ profiles: { solo: {} } }, { solo: services('from_solo') });
    expect(names(createCompletionData({ MSP_LICENSE_CONFIG_DIR: only }).services(undefined))).toEqual([
      'from_solo',
    ]);
    const two = configDir({ profiles: { a: {}, b: {} } }, { a: services('from_a') });
    expect(createCompletionData({ MSP_LICENSE_CONFIG_DIR: two }).services(undefined)).toEqual([]);
  });

  it('skips services that are not Central ones and entries of the wrong shape', () => {
    const dir = configDir(
      { profiles: { p: {} } },
      {
        p: {
          services: [
            { name: 'a', central: true },
            { name: 'b', central: false },
            { name: 7 },
            null,
            { name: 'c' },
          ],
          customers: [{ id: 'c1', name: 'One', extra: 1 }, { id: 5 }, { id: 'c2' }],
        },
      },
    );
    const data = createCompletionData({ MSP_LICENSE_CONFIG_DIR: dir });
    expect(names(data.services(undefined))).toEqual(['a', 'c']);
    expect(data.customers(undefined)).toEqual([
      { id: 'c1', name: 'One' },
      { id: 'c2', name: '' },
    ]);
  });

  it('lists profiles with where they point, and marks the default', () => {
    const dir = configDir({ defaultProfile: 'prod', profiles: { prod: { cluster: 'eu-1' }, lab: {} } });
    expect(createCompletionData({ MSP_LICENSE_CONFIG_DIR: dir }).profiles()).toEqual([
      { value: 'prod', description: 'eu-1 (default)' },
      { value: 'lab' },
    ]);
  });

  it('returns nothing, and never throws, without a config, with a corrupt one, or for a bad profile name', () => {
    for (const dir of [configDir(undefined), configDir('{not json'), configDir('[1,2]')]) {
      const data = createCompletionData({ MSP_LICENSE_CONFIG_DIR: dir });
      expect(data.profiles()).toEqual([]);
      expect(data.services(undefined)).toEqual([]);
      expect(data.customers(undefined)).toEqual([]);
    }
    const dir = configDir({ profiles: { p: {} } }, { p: services('x') });
    expect(createCompletionData({ MSP_LICENSE_CONFIG_DIR: dir }).services('../p')).toEqual([]);
  });
});
