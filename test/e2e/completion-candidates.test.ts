// End to end: fetching the customers writes their completion candidates next to the cache, and a
// TAB with nothing typed prints them: the same bytes as the built CLI gives by reading the list.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { cleanupAll, world } from '../helpers/e2e.js';

afterEach(cleanupAll);

test('customers --refresh writes the candidates; __complete prints them as reading the list would', async () => {
  const w = await world({ customers: 30, devices: 60 });
  const fetched = await w.cli(['--json', 'customers', '--refresh']);
  expect(fetched.code, fetched.stderr).toBe(0);
  const file = path.join(w.dir, 'cache', 'sandbox', 'customers.candidates');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const fast = await w.cli(['__complete', 'assign', '--include', '']);
  fs.rmSync(file);
  const slow = await w.cli(['__complete', 'assign', '--include', '']);
  expect(fast.code).toBe(0);
  expect(fast.stderr).toBe('');
  expect(fast.stdout).toBe(slow.stdout);
  expect(fast.stdout).toContain(`${w.ids[0]}\t${w.names[0]}\n`);
  expect(fast.stdout.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(30);
});
