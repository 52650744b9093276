import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHistory, type HistoryRecord, readHistory } from '../../../src/config/history.js';
import { bundle, fixtures, mode, runNode, tempDir } from './helpers.js';

let root: string;
let dir: string;
let file: string;

beforeEach(() => {
  root = tempDir();
  dir = path.join(root, 'msp-license');
  file = path.join(dir, 'history.jsonl');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const record = (id: string, extra: Record<string, unknown> = {}): HistoryRecord => ({
  id,
  event: 'assign',
  time: '2025-01-02T03:04:05.000Z',
  ...extra,
});

describe('history', () => {
  it('reads a missing file as an empty history without creating anything', () => {
    expect(readHistory(dir)).toEqual({ records: [], skipped: 0 });
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('appends one JSON line per record to a 0600 file in a 0700 folder', () => {
    appendHistory(dir, record('a', { services: ['foundation_ap'] }));
    appendHistory(dir, record('b'));
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(record('a', { services: ['foundation_ap'] }));
    expect(readHistory(dir)).toEqual({
      records: [record('a', { services: ['foundation_ap'] }), record('b')],
      skipped: 0,
    });
  });

  it('keeps a torn last line (a crash mid-write) isolated from the next record', () => {
    appendHistory(dir, record('a'));
    fs.appendFileSync(file, '{"id":"torn","event":"ass');
    appendHistory(dir, record('b'));
    appendHistory(dir, record('c'));
    expect(fs.readFileSync(file, 'utf8').split('\n')[1]).toBe('{"id":"torn","event":"ass');
    const { records, skipped } = readHistory(dir);
    expect(records.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(skipped).toBe(1);
  });

  it('skips lines that are not records, ignores blank lines, and never throws for content', () => {
    fs.mkdirSync(dir);
    fs.writeFileSync(
      file,
      [
        JSON.stringify(record('a')),
        '',
        '   ',
        'not json',
        '[1,2]',
        'null',
        '{"id":1,"event":"assign","time":"t"}',
        '{"id":"x","time":"t"}',
        JSON.stringify(record('b')),
        '',
      ].join('\n'),
    );
    const { records, skipped } = readHistory(dir);
    expect(records.map((r) => r.id)).toEqual(['a', 'b']);
    expect(skipped).toBe(5);
  });

  it('reports an unreadable history (a folder in its place) as a ConfigError naming it', () => {
    fs.mkdirSync(file, { recursive: true });
    expect(() => readHistory(dir)).toThrow(file);
  });

  it('keeps 8 concurrent appending processes from interleaving (400 valid records)', async () => {
    const historyBundle = bundle('history', root);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        runNode(path.join(fixtures, 'history-worker.mjs'), [historyBundle, dir, '50']),
      ),
    );
    for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });
    const { records, skipped } = readHistory(dir);
    expect(skipped).toBe(0);
    expect(records).toHaveLength(400);
    expect(new Set(records.map((r) => r.id)).size).toBe(400);
    expect(mode(file)).toBe(0o600);
  });
});
