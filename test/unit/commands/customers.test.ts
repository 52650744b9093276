// customers in-process against the sandbox: the whole list from a fresh cache is printed from the
// table file written with the cache (customers.table), byte for byte what rendering the list
// prints; anything that would print something else (filters, --json, a stale, foreign or altered
// file) takes the list's path.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { closeWorlds, type InWorld, inWorld } from '../../helpers/inprocess.js';
import { clearLog, requestLog } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

const CUSTOMERS_PATH = '/msp_api/v1/customers';

// Names a server could send: a terminal escape, a bidi override, wide characters, one longer
// than the NAME column (cut with '…'), a tab.
const HOSTILE = [
  'Evil\u001b]0;pwned\u0007 Corp',
  'Right\u202eLeft Ltd',
  '東京歯科クリニック',
  'A name far too long to fit in the forty columns of the NAME column',
  'Tab\tIn Name',
];

const files = (w: InWorld) => {
  const folder = path.join(w.dir, 'cache', 'sandbox');
  return { json: path.join(folder, 'customers.json'), table: path.join(folder, 'customers.table') };
};

/** The table file's three parts: the cache stamp line, its head (JSON), the table. */
function parts(file: string): { stamp: string; head: Record<string, unknown>; table: string } {
  const text = fs.readFileSync(file, 'utf8');
  const first = text.indexOf('\n');
  const second = text.indexOf('\n', first + 1);
  return {
    stamp: text.slice(0, first),
    head: JSON.parse(text.slice(first + 1, second)),
    table: text.slice(second + 1),
  };
}

function writeParts(file: string, p: { stamp: string; head: Record<string, unknown>; table: string }): void {
  fs.writeFileSync(file, `${p.stamp}\n${JSON.stringify(p.head)}\n${p.table}`, { mode: 0o600 });
}

/** A world of 2,000 customers, the list fetched once (which writes the cache and its table file). */
async function fetched(): Promise<InWorld> {
  const w = await inWorld({ customers: 2000, devices: 2000, customerNames: HOSTILE });
  const first = await w.cli(['customers', '--refresh']);
  expect(first.code, first.stderr).toBe(0);
  return w;
}

const fromTable = (result: { result?: unknown }) =>
  typeof result.result === 'object' && result.result !== null && 'table' in result.result;

describe('customers from the table file', () => {
  test('prints the same bytes as rendering the list, stdout and stderr, plain and with --quiet', async () => {
    const w = await fetched();
    const { table } = files(w);
    expect(fs.statSync(table).mode & 0o777).toBe(0o600);
    const fast = await w.cli(['customers']);
    const quietFast = await w.cli(['--quiet', 'customers']);
    const saved = fs.readFileSync(table);
    fs.rmSync(table);
    const slow = await w.cli(['customers']);
    const quietSlow = await w.cli(['--quiet', 'customers']);
    expect([fromTable(fast), fromTable(quietFast)]).toEqual([true, true]);
    expect([fromTable(slow), fromTable(quietSlow)]).toEqual([false, false]);
    expect(fast.code).toBe(0);
    expect(fast.stdout).toBe(slow.stdout);
    expect(fast.stderr).toBe(slow.stderr);
    expect(quietFast.stdout).toBe(slow.stdout);
    expect(quietFast.stderr).toBe('');
    expect(quietSlow.stderr).toBe('');
    expect(fast.stderr).toMatch(
      /^2,000 customers \(cached \d{4}-\d\d-\d\dT[\d:.]+Z; --refresh to fetch again\)\n$/,
    );
    const lines = fast.stdout.split('\n');
    expect(lines).toHaveLength(2002);
    expect(lines[0]).toMatch(/^CUSTOMER ID +NAME +GROUP +STATUS$/);
    // The outside text as io.out shows it: controls visible, the long name cut.
    expect(fast.stdout).toContain('Evil␛]0;pwned␇ Corp');
    expect(fast.stdout).not.toContain('\u001b');
    expect(fast.stdout).not.toContain('\u202e');
    expect(fast.stdout).toContain('A name far too long to fit in the forty…');
    expect(fast.stdout).toContain('東京歯科クリニック');
    // The file's table is exactly what is printed.
    expect(saved.toString('utf8').endsWith(fast.stdout)).toBe(true);
  });

  test('is what is printed: a planted table under the right stamp and head shows', async () => {
    const w = await fetched();
    const { table } = files(w);
    const p = parts(table);
    const marker = 'MARKER from the table file\n';
    writeParts(table, { ...p, head: { ...p.head, bytes: Buffer.byteLength(marker) }, table: marker });
    await clearLog(w.sandbox);
    const result = await w.cli(['customers']);
    expect(result.stdout).toBe(marker);
    expect(result.stderr).toMatch(/^2,000 customers \(cached /);
    expect((await requestLog(w.sandbox)).total).toBe(0);
  });

  test('--json, --search, --refresh and the short list take the list path', async () => {
    const w = await fetched();
    const json = await w.cli(['--json', 'customers']);
    expect(fromTable(json)).toBe(false);
    expect(JSON.parse(json.stdout).customers).toHaveLength(2000);
    const search = await w.cli(['customers', '--search', '東京']);
    expect(fromTable(search)).toBe(false);
    expect(search.stderr).toMatch(/^1 of 2,000 customers match '東京'/);
    const refresh = await w.cli(['customers', '--refresh']);
    expect(fromTable(refresh)).toBe(false);
    expect(refresh.stderr).toBe('2,000 customers\n');
    // A search for nothing is no search: the whole list, from the file.
    expect(fromTable(await w.cli(['customers', '--search', '  ']))).toBe(true);
  });

  test('a --refresh rewrites the file: a new inode, the new stamp, 0600, no temp file', async () => {
    const w = await fetched();
    const { json, table } = files(w);
    const before = { inode: fs.statSync(table).ino, stamp: parts(table).stamp };
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await w.cli(['customers', '--refresh'])).code).toBe(0);
    const after = parts(table);
    expect(fs.statSync(table).ino).not.toBe(before.inode);
    expect(after.stamp).not.toBe(before.stamp);
    const entry = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(after.stamp).toBe(`${entry.fetchedAt} ${fs.statSync(json).size}`);
    expect(fs.statSync(table).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(table)).sort()).toEqual([
      'customers.candidates',
      'customers.json',
      'customers.table',
    ]);
  });

  test.each<[string, (file: string, p: ReturnType<typeof parts>) => void]>([
    ['the stamp of another cache', (file, p) => writeParts(file, { ...p, stamp: `${p.stamp}1` })],
    [
      'the head of another build',
      (file, p) => writeParts(file, { ...p, head: { ...p.head, format: 'customers-table/1 9.9.9' } }),
    ],
    [
      'another gateway',
      (file, p) => writeParts(file, { ...p, head: { ...p.head, baseUrl: 'https://x.test' } }),
    ],
    ['a table cut short', (file, p) => writeParts(file, { ...p, table: p.table.slice(0, -200) })],
    ['a count of 10', (file, p) => writeParts(file, { ...p, head: { ...p.head, total: 10 } })],
    [
      'a file others may write',
      (file, p) => {
        writeParts(file, { ...p, table: p.table.replace('CUSTOMER ID', 'PLANTED  ID') });
        fs.chmodSync(file, 0o622);
      },
    ],
    [
      'a symbolic link',
      (file) => {
        fs.renameSync(file, `${file}.real`);
        fs.symlinkSync(`${file}.real`, file);
      },
    ],
    [
      'a directory',
      (file) => {
        fs.rmSync(file);
        fs.mkdirSync(file);
      },
    ],
  ])('%s: the list is rendered instead', async (_label, alter) => {
    const w = await fetched();
    const { table } = files(w);
    const fast = await w.cli(['customers']);
    alter(table, parts(fs.statSync(table).isFile() ? table : `${table}.real`));
    const result = await w.cli(['customers']);
    expect(fromTable(result)).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(fast.stdout);
    expect(result.stderr).toBe(fast.stderr);
  });

  test('a cache past its 6 hours is fetched again (and its table written anew), not printed', async () => {
    const w = await fetched();
    const { json, table } = files(w);
    const entry = JSON.parse(fs.readFileSync(json, 'utf8'));
    const old = entry.fetchedAt - 7 * 3_600_000;
    // Same number of digits: the cache keeps its size, both files their match.
    fs.writeFileSync(json, JSON.stringify({ ...entry, fetchedAt: old }), { mode: 0o600 });
    const p = parts(table);
    writeParts(table, { ...p, stamp: `${old} ${fs.statSync(json).size}` });
    await clearLog(w.sandbox);
    const result = await w.cli(['customers']);
    expect(fromTable(result)).toBe(false);
    expect(result.stderr).toBe('2,000 customers\n');
    const calls = (await requestLog(w.sandbox)).requests.filter((r) => r.path === CUSTOMERS_PATH);
    expect(calls.length).toBeGreaterThanOrEqual(20);
    expect(parts(table).stamp).not.toContain(String(old));
    expect(fromTable(await w.cli(['customers']))).toBe(true);
  });
});

describe('a short list', () => {
  test('10 customers or fewer: no table file, the list shown with device counts', async () => {
    const w = await inWorld({ customers: 6, devices: 60 });
    const result = await w.cli(['customers', '--refresh']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^CUSTOMER ID +NAME +GROUP +STATUS +DEVICES$/m);
    expect(fs.existsSync(files(w).table)).toBe(false);
    const again = await w.cli(['customers']);
    expect(fromTable(again)).toBe(false);
    expect(again.stdout).toBe(result.stdout);
  });
});
