// End to end, the built CLI: fetching the customers writes the table `customers` prints next to
// the cache (customers.table), and `customers` from that cache prints its bytes: the same stdout,
// stderr and exit code as rendering the list, in a pipe and in a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { cleanupAll, world } from '../helpers/e2e.js';
import { runInPty } from '../helpers/pty.js';
import { clearLog, requestLog } from '../helpers/sandbox.js';

afterEach(cleanupAll);

test('customers from a cache of 2,000 prints the table file: the bytes rendering the list gives', async () => {
  const w = await world({
    customers: 2000,
    devices: 2000,
    customerNames: ['Evil\u001b]0;pwned\u0007 Corp', '東京歯科クリニック', 'Bidi\u202eTrick'],
  });
  const fetched = await w.cli(['--json', 'customers', '--refresh']);
  expect(fetched.code, fetched.stderr).toBe(0);
  const table = path.join(w.dir, 'cache', 'sandbox', 'customers.table');
  expect(fs.statSync(table).mode & 0o777).toBe(0o600);
  const saved = fs.readFileSync(table);

  // The built CLI prints the file: a table planted under its stamp and head is what shows.
  const text = saved.toString('utf8');
  const afterHead = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
  const head = JSON.parse(text.slice(text.indexOf('\n') + 1, afterHead - 1));
  const marker = 'MARKER from customers.table\n';
  fs.writeFileSync(
    table,
    `${text.slice(0, text.indexOf('\n'))}\n${JSON.stringify({ ...head, bytes: marker.length })}\n${marker}`,
  );
  await clearLog(w.sandbox);
  const planted = await w.cli(['customers']);
  expect(planted.stdout).toBe(marker);
  expect((await requestLog(w.sandbox)).total).toBe(0);
  fs.writeFileSync(table, saved);

  const fast = await w.cli(['customers'], { env: { NO_COLOR: '1' } });
  const fastQuiet = await w.cli(['--quiet', 'customers']);
  const screenFile = path.join(w.root, 'screen-fast.txt');
  const fastTerminal = await runInPty(w.dir, ['customers'], { cols: 200, stdoutFile: screenFile });
  const fastTerminalOut = fs.readFileSync(screenFile, 'utf8');
  const fastScreen = await runInPty(w.dir, ['customers'], { cols: 60 });

  fs.rmSync(table);
  const slow = await w.cli(['customers'], { env: { NO_COLOR: '1' } });
  const slowQuiet = await w.cli(['--quiet', 'customers']);
  const slowTerminal = await runInPty(w.dir, ['customers'], { cols: 200, stdoutFile: screenFile });
  const slowTerminalOut = fs.readFileSync(screenFile, 'utf8');
  const slowScreen = await runInPty(w.dir, ['customers'], { cols: 60 });

  expect(fast.code).toBe(0);
  expect(fast.stdout).toBe(slow.stdout);
  expect(fast.stderr).toBe(slow.stderr);
  expect(fast.stderr).toMatch(/^2,000 customers \(cached [^)]+; --refresh to fetch again\)\n$/);
  expect(fast.stdout.split('\n')).toHaveLength(2002);
  expect(fast.stdout).toContain('Evil␛]0;pwned␇ Corp');
  expect(fast.stdout).not.toMatch(/[\u001b\u202e]/);
  expect(fastQuiet).toEqual(slowQuiet);
  expect(fastQuiet.stderr).toBe('');
  expect(fastQuiet.stdout).toBe(fast.stdout);
  // Stdout to a file, the note (dim) on a terminal; then everything on a 60-column terminal.
  expect(fastTerminal.code).toBe(0);
  expect(fastTerminal.screen).toBe(slowTerminal.screen);
  expect(fastTerminal.screen).toContain('\u001b[2m2,000 customers (cached ');
  expect(fastTerminalOut).toBe(slowTerminalOut);
  expect(fastTerminalOut).toBe(fast.stdout);
  expect(fastScreen.screen).toBe(slowScreen.screen);
  expect(fastScreen.screen).toContain('東京歯科クリニック');
});
