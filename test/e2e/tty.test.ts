// A real pseudo-terminal (util-linux `script`): a terminal gets colour and the spinner; NO_COLOR
// and --no-color take every colour away, on a terminal too. (Without a terminal there is never an
// escape code at all: operator.test.ts. The prompts: prompts.test.ts.)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanupAll, world } from '../helpers/e2e.js';
import { plain, runInPty } from '../helpers/pty.js';

afterEach(cleanupAll);

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

const COLOUR = /\u001b\[3\dm/;
const HIDE_CURSOR = /\u001b\[\?25l/;
const SHOW_CURSOR = /\u001b\[\?25h/;

describe.skipIf(!hasScript)('on a terminal', () => {
  test('colour and a spinner; NO_COLOR and --no-color remove every colour code', async () => {
    const w = await world({ preLicensed: 0, jobSpeed: 40, devices: 200 });
    const wait = (id: string) => [
      'assign',
      '-s',
      'foundation_ap',
      '--exclude',
      id,
      '--yes',
      '--wait',
      '--interval',
      '1s',
    ];

    const tty = await runInPty(w.dir, wait(w.ids[0] as string));
    expect(tty.code, tty.screen).toBe(0);
    expect(tty.screen).toMatch(COLOUR);
    expect(tty.screen).toMatch(HIDE_CURSOR); // the spinner took the line...
    expect(tty.screen).toMatch(SHOW_CURSOR); // ...and gave the cursor back
    expect(plain(tty.screen)).toMatch(/Assignment of foundation_ap accepted/);
    const history = await runInPty(w.dir, ['history']);
    expect(history.screen).toMatch(COLOUR); // stdout is the terminal: the outcome is coloured

    const noColor = await runInPty(w.dir, wait(w.ids[1] as string), { env: { NO_COLOR: '1' } });
    expect(noColor.code, noColor.screen).toBe(0);
    expect(noColor.screen).not.toMatch(COLOUR);
    expect(noColor.screen).toMatch(/waiting for the job/);
    for (const args of [['history'], ['assign', '-s', 'foundation_zz', '--all-customers']]) {
      const viaEnv = await runInPty(w.dir, args, { env: { NO_COLOR: '1' } });
      expect(viaEnv.screen).not.toMatch(COLOUR);
      const viaFlag = await runInPty(w.dir, ['--no-color', ...args]);
      expect(viaFlag.screen).not.toMatch(COLOUR);
    }
  });

  test('stdout redirected to a file on a terminal: the file is plain, stderr keeps its colour', async () => {
    const w = await world({ preLicensed: 0, devices: 40 });
    const status = ['status', '-s', 'foundation_ap', '--all-customers'];
    const job = await w.cli(['assign', '-s', 'foundation_ap', '--include', w.ids[0] as string, '--yes']);
    expect(job.code, job.stderr).toBe(0); // an outcome for `history` to colour
    for (const args of [status, ['history'], ['doctor', '--yes'], ['auth', 'status']]) {
      const file = join(w.dir, `${args.join('-')}.txt`);
      const run = await runInPty(w.dir, args, { stdoutFile: file, timeoutMs: 20_000 });
      const written = readFileSync(file, 'utf8');
      expect(written, args.join(' ')).not.toContain('\u001b');
      expect(run.code, `${args.join(' ')}: ${run.screen}`).toBe(0);
      expect(written.length, args.join(' ')).toBeGreaterThan(0);
      if (args[0] === 'status') {
        expect(written, run.screen).toMatch(/^License coverage of /);
        expect(written).toMatch(/\d+%/);
        expect(written).not.toContain('█'); // bars are for a terminal
      }
    }
    // The same status on the terminal: coloured, with bars.
    const onTty = await runInPty(w.dir, status);
    expect(onTty.screen).toMatch(COLOUR);
    expect(onTty.screen).toContain('█');
    // stderr on the terminal keeps its colour while stdout goes to a file (the dim footnote).
    const redirected = await runInPty(w.dir, ['customers'], { stdoutFile: join(w.dir, 'customers.txt') });
    expect(redirected.screen).toMatch(/\u001b\[2m/);
    expect(readFileSync(join(w.dir, 'customers.txt'), 'utf8')).not.toContain('\u001b');
  });
});
