// The customers' completion candidates written next to their cache (src/config/cache.ts) and read
// by `__complete` when nothing is typed yet: the same bytes as reading the list, used only while
// they match the cache file, never for typed text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeWithSpec } from '../../../src/completion/complete.js';
import { COMPLETION_SPEC } from '../../../src/completion/spec.generated.js';
import { writeCache } from '../../../src/config/cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const LIST: unknown[] = [
  { id: 'c1', name: 'Acme, Inc', groupName: 'g' },
  { id: 'c2', name: 'Beta\tCo\u001b[2J' },
  { id: 'c3', name: 'c1' },
  { id: 'c2', name: 'dup' },
  { name: 'no id' },
  'junk',
  { id: '東京', name: 'Tokyo' },
];

function configDir(list: unknown[] = LIST): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-completion-candidates-'));
  dirs.push(dir);
  fs.chmodSync(dir, 0o700);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ profiles: { p: {} } }), { mode: 0o600 });
  writeCache(dir, 'p', 'customers', 'https://127.0.0.1:9', list);
  return dir;
}

const files = (dir: string) => ({
  json: path.join(dir, 'cache', 'p', 'customers.json'),
  candidates: path.join(dir, 'cache', 'p', 'customers.candidates'),
});

function complete(dir: string, words: string[]): string {
  let out = '';
  completeWithSpec(COMPLETION_SPEC, words, { MSP_LICENSE_CONFIG_DIR: dir }, (text) => {
    out += text;
  });
  return out;
}

/** Keeps the stamp line, replaces the candidates: what is printed then shows which path ran. */
function plantMarker(dir: string): void {
  const file = files(dir).candidates;
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, `${text.slice(0, text.indexOf('\n'))}\nmarker\tfrom the candidates file\n`);
}

const EMPTY = ['assign', '--include', ''];

describe('customer candidates written with the cache', () => {
  it('print the same bytes as reading the list, and are what a TAB with nothing typed reads', () => {
    const dir = configDir();
    const fast = complete(dir, EMPTY);
    fs.rmSync(files(dir).candidates);
    const slow = complete(dir, EMPTY);
    expect(fast).toBe(slow);
    expect(slow).toBe(
      'c1\tAcme, Inc\nc2\tBeta␉Co␛[2J\nc3\tc1\n東京\tTokyo\nBeta␉Co␛[2J\tc2\ndup\tc2\nTokyo\t東京\n',
    );
    const again = configDir();
    plantMarker(again);
    expect(complete(again, EMPTY)).toBe('marker\tfrom the candidates file\n');
    expect(complete(again, ['assign', '--exclude', '  '])).toBe('marker\tfrom the candidates file\n');
  });

  it('are not used once the cache file changes, and are rewritten with it', () => {
    const dir = configDir();
    plantMarker(dir);
    const entry = JSON.parse(fs.readFileSync(files(dir).json, 'utf8'));
    // Same fetchedAt, another list (a cache written by hand or by an older version): the size differs.
    fs.writeFileSync(files(dir).json, JSON.stringify({ ...entry, data: [{ id: 'n1', name: 'New' }] }));
    expect(complete(dir, EMPTY)).toBe('n1\tNew\nNew\tn1\n');
    writeCache(dir, 'p', 'customers', 'https://127.0.0.1:9', [{ id: 'z9', name: 'Zed' }]);
    expect(fs.readFileSync(files(dir).candidates, 'utf8')).toMatch(/^\d+ \d+\nz9\tZed\nZed\tz9\n$/);
    expect(complete(dir, EMPTY)).toBe('z9\tZed\nZed\tz9\n');
    fs.writeFileSync(files(dir).candidates, 'not a stamp\nmarker\tx\n');
    expect(complete(dir, EMPTY)).toBe('z9\tZed\nZed\tz9\n');
    fs.writeFileSync(files(dir).candidates, 'no stamp line at all');
    expect(complete(dir, EMPTY)).toBe('z9\tZed\nZed\tz9\n');
  });

  it('are not used for typed text, after a comma or after --include=', () => {
    const dir = configDir();
    plantMarker(dir);
    expect(complete(dir, ['assign', '--include', 'c'])).toBe('c1\tAcme, Inc\nc2\tBeta␉Co␛[2J\nc3\tc1\n');
    expect(complete(dir, ['assign', '--include', 'c1,'])).toBe(
      'c1,c2\tBeta␉Co␛[2J\nc1,c3\tc1\nc1,東京\tTokyo\nc1,Beta␉Co␛[2J\tc2\nc1,dup\tc2\nc1,Tokyo\t東京\n',
    );
    expect(complete(dir, ['assign', '--include='])).toContain('--include=c1\tAcme, Inc\n');
    expect(complete(dir, ['assign', '--include='])).not.toContain('marker');
  });

  it('are not read when someone else could have written them', () => {
    const dir = configDir();
    plantMarker(dir);
    fs.chmodSync(files(dir).candidates, 0o666);
    expect(complete(dir, EMPTY)).toContain('c1\tAcme, Inc\n');
    expect(complete(dir, EMPTY)).not.toContain('marker');
  });
});
