// Help at any terminal width without the commander tree (issue 13): bin/ renders the build's
// templates (dist/help-templates.json) with dist/help.cjs at the terminal's width. What it prints
// must be, byte for byte, what commander prints for the same argv at the same width: here for
// every argv bin/ serves at every width from 0 to 200, against the built CLI's own main() run
// with stdout posing as a terminal of that width (commander reads the width from there), and in a
// real pseudo-terminal at three widths, where bin/ must not load the CLI bundle at all (and prints
// the same without help.cjs's V8 code cache).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HelpTemplates, renderHelp as RenderHelp } from '../../src/help-render.js';
import { BIN, baseEnv, ROOT, tempDir } from '../helpers/cli.js';

const scratch = tempDir('msp-license-help-width-');
afterAll(() => scratch.cleanup());
const env = { ...baseEnv(scratch.dir), NO_COLOR: '1' };
const help = JSON.parse(readFileSync(join(ROOT, 'dist', 'help.json'), 'utf8')) as {
  texts: string[];
  argv: Record<string, number>;
};
const { templates, minWidthToWrap } = JSON.parse(
  readFileSync(join(ROOT, 'dist', 'help-templates.json'), 'utf8'),
) as HelpTemplates;
const { renderHelp } = createRequire(import.meta.url)(join(ROOT, 'dist', 'help.cjs')) as {
  renderHelp: typeof RenderHelp;
};
const WIDTHS = Array.from({ length: 201 }, (_, width) => width);

/**
 * What commander prints for each [argv, width]: dist/cli.cjs's main() in one child process, its
 * stdout posing as a terminal of that width and captured.
 */
function commanderAt(jobs: [string[], number][]): Promise<{ code: number; out: string; err: string }[]> {
  const jobsFile = join(scratch.dir, 'jobs.json');
  const outFile = join(scratch.dir, 'rendered.json');
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const script = `
const fs = require('node:fs');
const cli = require(${JSON.stringify(join(ROOT, 'dist', 'cli.cjs'))});
const jobs = JSON.parse(fs.readFileSync(${JSON.stringify(jobsFile)}, 'utf8'));
(async () => {
  const results = [];
  // Where the CLI writes (std(): a terminal's stream, else the descriptor), replaced by a terminal
  // of that width.
  const streams = cli.std();
  const real = { ...streams };
  for (const [argv, width] of jobs) {
    let out = '', err = '', code;
    streams.stdout = { isTTY: true, columns: width, write: (chunk) => ((out += chunk), true) };
    streams.stderr = { isTTY: true, columns: width, write: (chunk) => ((err += chunk), true) };
    try {
      code = await cli.main(['node', 'msp-license', ...argv]);
    } finally {
      Object.assign(streams, real);
    }
    results.push({ code, out, err });
  }
  fs.writeFileSync(${JSON.stringify(outFile)}, JSON.stringify(results));
})();
`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(readFileSync(outFile, 'utf8')))
        : reject(new Error(`exit ${code}: ${stderr}`)),
    );
  });
}

describe('help templates (dist/help-templates.json)', () => {
  test('one per text of dist/help.json, and each is that text at 80 columns', () => {
    expect(templates).toHaveLength(help.texts.length);
    expect(minWidthToWrap).toBe(16);
    help.texts.forEach((text, i) => {
      expect(renderHelp(templates[i] ?? [], 80, minWidthToWrap)).toBe(text);
    });
    // Something is wrapped in every command's help; help topics are the same at every width.
    const wrapping = templates.filter((template) => template.some((part) => typeof part !== 'string'));
    expect(wrapping.length).toBeGreaterThan(20);
  });

  test('every argv bin/ serves, at every width from 0 to 200: what commander prints', async () => {
    const argvs = Object.keys(help.argv);
    const jobs = argvs.flatMap((line) => WIDTHS.map((width): [string[], number] => [line.split(' '), width]));
    const printed = await commanderAt(jobs);
    expect(printed).toHaveLength(jobs.length);
    const wrong: { line: string; width: number; ours: string; commander: string }[] = [];
    let differing = 0;
    jobs.forEach(([argv, width], i) => {
      const line = argv.join(' ');
      const commander = printed[i] ?? { code: -1, out: '', err: 'missing' };
      const index = help.argv[line] as number;
      const ours = renderHelp(templates[index] ?? [], width, minWidthToWrap);
      if (commander.code !== 0 || commander.err || ours !== commander.out)
        wrong.push({ line, width, ours, commander: `${commander.code} ${commander.err}${commander.out}` });
      if (commander.out !== help.texts[index]) differing++;
    });
    expect(wrong.slice(0, 3)).toEqual([]);
    // The widths matter: most of these texts differ from the 80-column ones.
    expect(differing).toBeGreaterThan(jobs.length / 2);
  }, 120_000);

  test('a pipe is 80 columns whatever COLUMNS says (commander reads only a terminal)', async () => {
    for (const argv of [['--help'], ['assign', '--help']]) {
      const run = spawnSync(process.execPath, [BIN, ...argv], {
        env: { ...env, COLUMNS: '132' },
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(help.texts[help.argv[argv.join(' ')] as number]);
    }
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

/** argv in a pseudo-terminal of `columns` columns (util-linux `script`): what it wrote, as bytes. */
function inTerminal(columns: number, argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const command = `stty cols ${columns}; ${[process.execPath, ...argv].map(quote).join(' ')}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stdout}`)),
    );
  });
}

/** A copy of the package without the V8 code caches (help.cjs is then simply required). */
function bareCopy(): string {
  const bare = join(scratch.dir, 'bare');
  for (const entry of ['bin', 'dist', 'package.json'])
    cpSync(join(ROOT, entry), join(bare, entry), { recursive: true });
  for (const file of readdirSync(join(bare, 'dist')))
    if (file.endsWith('.cache')) rmSync(join(bare, 'dist', file));
  return join(bare, 'bin', 'msp-license.js');
}

describe.skipIf(!hasScript)('help in a terminal (pty)', () => {
  let bare = '';
  beforeAll(() => {
    bare = bareCopy();
  });

  test.each([60, 100, 132])(
    '%i columns: bin/ prints what commander prints, without the CLI bundle',
    async (columns) => {
      const log = join(scratch.dir, `loaded-${columns}.txt`);
      const preload = join(scratch.dir, `loaded-${columns}.cjs`);
      writeFileSync(
        preload,
        `process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(log)}, Object.keys(require.cache).join('\\n') + '\\n'));\n`,
      );
      for (const argv of [
        ['--help'],
        ['assign', '--help'],
        ['help', 'auth', 'status'],
        ['help', 'exit-codes'],
      ]) {
        writeFileSync(log, '');
        const [served, commander, uncached] = await Promise.all([
          inTerminal(columns, ['--require', preload, BIN, ...argv]),
          inTerminal(columns, [join(ROOT, 'dist', 'main.js'), ...argv]),
          inTerminal(columns, [bare, ...argv]),
        ]);
        const topic = argv[1] === 'exit-codes';
        expect(served, argv.join(' ')).toBe(commander);
        expect(uncached, argv.join(' ')).toBe(commander);
        // At this width, not at 80 (the terminal turns each \n into \r\n); a topic is the same at any.
        const at80 = help.texts[help.argv[argv.join(' ')] as number];
        expect(served.replaceAll('\r\n', '\n') === at80, argv.join(' ')).toBe(topic);
        const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
        expect(loaded, argv.join(' ')).not.toContain(join(ROOT, 'dist', 'cli.cjs'));
      }
    },
    60_000,
  );
});
