// status and customers in-process: argv through the commander tree, run and render without a
// process, against the sandbox on 127.0.0.1.
import { afterEach, describe, expect, test } from 'vitest';
import { closeWorlds, inWorld } from '../../helpers/inprocess.js';
import { clearLog, requestLog } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('status', () => {
  test('status on one customer names it and prints its table once', async () => {
    const w = await inWorld();
    const result = await w.cli(['status', '-s', 'foundation_ap', '--include', w.ids[0] as string]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`License coverage of ${w.names[0]} (${w.ids[0]})`);
    expect(result.stdout.match(/^ *foundation_ap /gm)).toHaveLength(1);
  });

  test('stats-filter=license_type learned by doctor: status sends only license_type=', async () => {
    const w = await inWorld({ variants: { statsFilter: 'license_type' } });
    expect((await w.cli(['doctor', '--yes'])).code).toBe(0);
    await clearLog(w.sandbox);
    const run = await w.cli(['status', '-s', 'foundation_ap', '--include', w.ids[0] as string]);
    expect(run.code, run.stderr).toBe(0);
    const stats = (await requestLog(w.sandbox)).requests.filter((r) => r.path.endsWith('/stats'));
    expect(stats.length).toBeGreaterThan(0);
    for (const r of stats) expect(Object.keys(r.query)).toEqual(['license_type']);
  });

  test('to a file or pipe: numbers, no bar and no escape code; the JSON has the same rows', async () => {
    const w = await inWorld();
    const text = await w.cli(['status', '-s', 'foundation_ap', '--all-customers']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(/\u001b|█|░/);
    expect(text.stdout).toMatch(/^SERVICE +DEVICES LICENSED \/ ELIGIBLE/m);
    const json = JSON.parse(
      (await w.cli(['--json', 'status', '-s', 'foundation_ap', '--all-customers'])).stdout,
    );
    expect(json).toMatchObject({
      gateway: w.sandbox.url,
      profile: 'sandbox',
      scope: { mode: 'all', customersInScope: 6 },
    });
    const row = json.services[0];
    expect(row.eligible).toBe(row.licensed + row.missing);
    expect(text.stdout).toMatch(new RegExp(`foundation_ap +${row.licensed} / ${row.eligible} `));
  });
});

describe('customers', () => {
  test('the customers table stays aligned with wide (CJK) and decomposed names', async () => {
    const w = await inWorld({ customerNames: ['東京商事', 'Café Zürich'.normalize('NFD'), 'Plain'] });
    const result = await w.cli(['customers']);
    expect(result.code, result.stderr).toBe(0);
    const columns = (line: string) => {
      let width = 0;
      for (const ch of line) width += /\p{Mn}/u.test(ch) ? 0 : /[\u4E00-\u9FFF]/u.test(ch) ? 2 : 1;
      return width;
    };
    // Every row's GROUP column starts where the header's does.
    const rows = lines(result.stdout);
    const header = rows[0] as string;
    const at = header.indexOf('GROUP');
    for (const row of rows.slice(1)) {
      const name = w.names.find((n) => row.includes(n)) as string;
      const before = row.slice(0, row.indexOf(name) + name.length);
      const gap = row.slice(before.length).match(/^ +/)?.[0].length ?? 0;
      expect(columns(before) + gap, row).toBe(at);
    }
  });

  test('-q prints the list and nothing else; --json counts them', async () => {
    const w = await inWorld();
    const quiet = await w.cli(['-q', 'customers']);
    expect(quiet.code).toBe(0);
    expect(lines(quiet.stdout)).toHaveLength(1 + w.ids.length);
    expect(quiet.stderr).toBe('');
    const json = JSON.parse((await w.cli(['--json', 'customers'])).stdout);
    expect(json).toMatchObject({ count: 6, total: 6, fromCache: true });
    expect(json.customers.map((c: { id: string }) => c.id).sort()).toEqual([...w.ids].sort());
  });
});

describe('--quiet', () => {
  test('-q silences noise, not answers: lists print, confirmations do not', async () => {
    const w = await inWorld();
    const customers = await w.cli(['-q', 'customers']);
    expect(customers.code).toBe(0);
    expect(lines(customers.stdout)).toHaveLength(1 + w.ids.length);
    expect(customers.stderr).toBe('');
    const dry = await w.cli(['-q', 'assign', '-s', 'foundation_ap', '--all-customers', '--dry-run']);
    expect(dry.stdout).toMatch(/^Assign foundation_ap/);
    const refresh = await w.cli(['-q', 'auth', 'refresh']);
    expect(refresh.code).toBe(0);
    expect(refresh.stdout + refresh.stderr).toBe('');
    const real = await w.cli(['-q', 'assign', '-s', 'foundation_ap', '--include', w.ids[0] as string]);
    expect(real.code).toBe(0);
    expect(real.stdout + real.stderr).toBe('');
  });
});
