// End to end: the customers list (defensive paging against a silent page-size cap, the cache,
// --search) and customer names everywhere a customer is named (ids or exact names, unknown and
// ambiguous ones, list files and stdin). The BUILT CLI against the in-process sandbox.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanupAll, jsonError, world } from '../helpers/e2e.js';
import { mutatingCalls, requestLog } from '../helpers/sandbox.js';

afterEach(cleanupAll);

const CUSTOMERS_PATH = '/msp_api/v1/customers';

describe('customers', () => {
  test('a silently capped page size: every customer once, count = total, then served from the cache', async () => {
    const w = await world({ customers: 53, devices: 200, maxPageSize: 7 });
    const result = await w.cli(['--json', 'customers', '--refresh']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ count: 53, total: 53, fromCache: false, deviceCounts: false });
    const ids = parsed.customers.map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(53);
    expect([...ids].sort()).toEqual([...w.ids].sort());
    expect(parsed.customers[0]).toMatchObject({
      id: w.ids[0],
      name: w.names[0],
      groupName: expect.any(String),
      provisionStatus: 'PROVISIONED',
    });

    const log = await requestLog(w.sandbox);
    const pages = log.requests.filter((r) => r.path === CUSTOMERS_PATH);
    // The first page asks for 100 and gets 7: the step is what the server honoured.
    expect(pages).toHaveLength(Math.ceil(53 / 7));
    expect(new Set(pages.map((p) => Number(p.query.offset)))).toEqual(
      new Set(Array.from({ length: 8 }, (_, i) => i * 7)),
    );
    expect(log.requests.filter((r) => r.status === 429)).toEqual([]);

    const again = await w.cli(['customers']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim().split('\n')).toHaveLength(54); // header + 53 rows
    expect(again.stderr).toMatch(/53 customers \(cached /);
    const after = await requestLog(w.sandbox);
    expect(after.requests.filter((r) => r.path === CUSTOMERS_PATH)).toHaveLength(8);
  });

  test('--search narrows the list; a short list shows device counts (one call each, then cached)', async () => {
    const names = ['Acme Dental', 'Acme Logistics', 'Globex', 'Initech', 'Umbrella'];
    const w = await world({ customers: 5, devices: 100, customerNames: names });
    const result = await w.cli(['--json', 'customers', '--search', 'ACME']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ count: 2, total: 5, search: 'ACME', deviceCounts: true });
    const expected = (id: string) => w.sandbox.estate.devicesByCustomer.get(id)?.length;
    expect(parsed.customers.map((c: { name: string; devices: number }) => [c.name, c.devices])).toEqual([
      ['Acme Dental', expected(w.ids[0] as string)],
      ['Acme Logistics', expected(w.ids[1] as string)],
    ]);
    const human = await w.cli(['customers', '--search', 'acme']);
    expect(human.stdout).toMatch(/DEVICES/);
    expect(human.stdout).toContain('Acme Logistics');
    expect(human.stdout).not.toContain('Globex');
    expect(human.stderr).toMatch(/2 of 5 customers match 'acme'/);
    const log = await requestLog(w.sandbox);
    // Counted once (two customers), the second listing read the cache.
    expect(log.requests.filter((r) => r.path.endsWith('/devices'))).toHaveLength(2);
  });
});

describe('customer names and ids', () => {
  const names = ['Acme Dental', 'Globex', 'Initech', 'Acme Dental', 'Umbrella', 'Hooli'];

  test('exact names, case-insensitive, mixed with ids, resolve to ids in the request body', async () => {
    const w = await world({ customerNames: names });
    const result = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--include',
      `globex,${w.ids[4]}`,
      '--include',
      'HOOLI',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const calls = await mutatingCalls(w.sandbox);
    expect(calls.map((c) => c.body)).toEqual([
      { services: ['foundation_ap'], include_customers: [w.ids[1], w.ids[4], w.ids[5]] },
    ]);
  });

  test('an unknown name fails with exit 2 before anything is sent, naming it and the nearest matches', async () => {
    const w = await world({ customerNames: names });
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--exclude', 'Globx,Initech']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/'Globx' is not a customer id or name \(nearest: "Globex"/);
    expect(result.stderr).not.toMatch(/Initech'/);
    expect(await mutatingCalls(w.sandbox)).toEqual([]);

    const json = await w.cli(['--json', 'unassign', '-s', 'foundation_ap', '--yes', '--include', 'Hoolie']);
    expect(json.code).toBe(2);
    expect(jsonError(json)).toMatchObject({ code: 'unknown_customer', exitCode: 2 });
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
  });

  test('an unknown name first refreshes a cached list (a new customer), then resolves', async () => {
    const w = await world({ customerNames: names });
    expect((await w.cli(['customers'])).code).toBe(0); // fills the cache
    // Answered fetches only: back-to-back processes can together draw a 429 (the rate governor is
    // per process), and its retry is not a second refresh.
    const fetches = async () =>
      (await requestLog(w.sandbox)).requests.filter((r) => r.path === CUSTOMERS_PATH && r.status === 200)
        .length;
    const before = await fetches();
    const unknown = await w.cli(['assign', '-s', 'foundation_ap', '--include', 'Nobody Inc']);
    expect(unknown.code).toBe(2);
    expect(await fetches()).toBe(before + 1);
  });

  test('a name two customers share is an error listing both ids; an id still works', async () => {
    const w = await world({ customerNames: names });
    const result = await w.cli(['assign', '-s', 'foundation_ap', '--include', 'acme dental']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`'acme dental' names 2 customers (${w.ids[0]}, ${w.ids[3]}): use an id`);
    expect(await mutatingCalls(w.sandbox)).toEqual([]);
    const byId = await w.cli(['assign', '-s', 'foundation_ap', '--include', w.ids[3] as string]);
    expect(byId.code, byId.stderr).toBe(0);
    expect((await mutatingCalls(w.sandbox)).map((c) => c.body)).toEqual([
      { services: ['foundation_ap'], include_customers: [w.ids[3]] },
    ]);
  });

  test('list files and stdin: # comments, blank lines, duplicates removed (by id and by name)', async () => {
    const w = await world({ customerNames: names });
    const file = join(w.root, 'pilot.txt');
    writeFileSync(
      file,
      `# the pilot customers\n${w.ids[1]}   # Globex by id\n\nglobex\n  Initech  \n${w.ids[2]}\n`,
    );
    const fromFile = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--include-file',
      file,
      '--include',
      'Umbrella',
    ]);
    expect(fromFile.code, fromFile.stderr).toBe(0);

    const fromStdin = await w.cli(['assign', '-s', 'foundation_ap', '--exclude-file', '-'], {
      input: `# keep these out\nHooli\n${w.ids[4]}\nhooli\n`,
    });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect((await mutatingCalls(w.sandbox)).map((c) => c.body)).toEqual([
      { services: ['foundation_ap'], include_customers: [w.ids[4], w.ids[1], w.ids[2]] },
      { services: ['foundation_ap'], exclude_customers: [w.ids[5], w.ids[4]] },
    ]);

    const missing = await w.cli([
      'assign',
      '-s',
      'foundation_ap',
      '--include-file',
      join(w.root, 'nope.txt'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read customer list '.*nope\.txt' \(ENOENT\)/);
    const empty = join(w.root, 'empty.txt');
    writeFileSync(empty, '# nothing yet\n');
    const none = await w.cli(['assign', '-s', 'foundation_ap', '--include-file', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/The include list is empty/);
    // An emptied exclude file must not become the API's "every customer".
    const noneExcluded = await w.cli(['assign', '-s', 'foundation_ap', '--exclude-file', empty]);
    expect(noneExcluded.code).toBe(2);
    expect(noneExcluded.stderr).toMatch(/exclude list is empty.*every customer/);
    expect(noneExcluded.stderr).toContain('--all-customers');
    expect(await mutatingCalls(w.sandbox)).toHaveLength(2);
  });
});
