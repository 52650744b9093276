// autolicense status in-process (argv through the commander tree, no process) under each
// answer-shape variant: before and after an enable, its call count, the cache, status reading
// it; and the day budget.
import { afterEach, describe, expect, test } from 'vitest';
import { AUTOLICENSE_MATRIX } from '../../../src/sandbox/variants.js';
import { closeWorlds, inWorld } from '../../helpers/inprocess.js';
import { clearLog, requestLog } from '../../helpers/sandbox.js';

afterEach(closeWorlds);

describe.each(AUTOLICENSE_MATRIX)('autolicense status ($name)', ({ variants }) => {
  test('before and after, with its call count; the second run answers from the cache', async () => {
    const w = await inWorld({ variants, customers: 6, rateLimit: { enforce: false } });
    const [excluded] = w.ids as [string];
    // The customers list (with msp_id) and the services list cached, as any earlier run leaves them.
    await w.cli(['customers']);
    await w.cli(['services']);
    await clearLog(w.sandbox);
    const before = await w.cli(['--json', 'autolicense', 'status', '-s', 'foundation_ap', '--all-customers']);
    expect(before.code, before.stderr).toBe(0);
    const b = JSON.parse(before.stdout);
    expect(b.services[0]).toMatchObject({
      service: 'foundation_ap',
      mspDefault: false,
      on: 0,
      off: 6,
      unknown: 0,
      paused: false,
    });
    // 6 customers + the MSP default + 1 pause status + 1 stats call.
    expect(b.apiCalls).toBe(9);
    expect((await requestLog(w.sandbox)).total).toBe(9);

    expect((await w.cli(['autolicense', 'enable', '-s', 'foundation_ap', '--exclude', excluded])).code).toBe(
      0,
    );
    const after = await w.cli(['--json', 'autolicense', 'status', '-s', 'foundation_ap', '--all-customers']);
    const a = JSON.parse(after.stdout);
    expect(a.services[0]).toMatchObject({
      mspDefault: false,
      on: 5,
      off: 1,
      customersOff: [{ id: excluded }],
    });

    await clearLog(w.sandbox);
    const cached = await w.cli(['--json', 'autolicense', 'status', '-s', 'foundation_ap', '--all-customers']);
    const c = JSON.parse(cached.stdout);
    expect(c.cached).toBe(7);
    expect(c.apiCalls).toBe(2);
    // `status` shows the cached auto-licensing state without asking.
    await clearLog(w.sandbox);
    const status = await w.cli(['status', '-s', 'foundation_ap', '--include', excluded]);
    expect(status.stdout).toMatch(/auto-licensing foundation_ap: MSP default off, running/);
    expect((await requestLog(w.sandbox)).requests.filter((r) => r.path.includes('autolicens'))).toEqual([]);
  });
});

describe('autolicense status within the day budget', () => {
  test('a scope that would take more calls than are left today is refused (exit 5) unless --yes', async () => {
    const w = await inWorld({ customers: 30, rateLimit: { perDay: 25 } });
    await w.cli(['customers']);
    await w.cli(['services']);
    const refused = await w.cli(['autolicense', 'status', '-s', 'foundation_ap', '--all-customers']);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/needs about 33 API calls but only \d+ are left today/);
    expect(refused.stderr).toMatch(/--yes/);
  });
});

describe('autolicense status, shown', () => {
  test('a line per service, the customers it is off for under it, the calls and the cache', async () => {
    const w = await inWorld({ customers: 6, rateLimit: { enforce: false } });
    const [excluded] = w.ids as [string];
    expect((await w.cli(['autolicense', 'enable', '-s', 'foundation_ap', '--exclude', excluded])).code).toBe(
      0,
    );
    const shown = await w.cli(['autolicense', 'status', '-s', 'foundation_ap', '--all-customers']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(
      /^Auto-licensing of 6 customers — profile sandbox, http:\/\/127\.0\.0\.1:\d+$/m,
    );
    expect(shown.stdout).toMatch(/^foundation_ap +on for 5 \/ 6; MSP default off; running/m);
    expect(shown.stdout).toMatch(new RegExp(`^ +off: .*\\(${excluded}\\)$`, 'm'));
    expect(shown.stderr).toMatch(/\d+ API calls; 0 answers from the cache\./);
  });
});
