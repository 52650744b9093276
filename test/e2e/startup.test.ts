// The start-up shortcuts of the built CLI (issue 13) change nothing a user sees: the help texts
// bin/ serves from dist/help.json are what commander prints for the same argv; the V8 code caches
// are only a way of compiling the same code (the same bytes and exit codes without them); and a
// command answered from the caches loads none of the heavy dependencies (dist/chunks/*.cjs).
// Speed itself is measured by `npm run bench:startup`, never asserted here.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, baseEnv, collect, ROOT, tempDir } from '../helpers/cli.js';

const scratch = tempDir('msp-license-startup-');
afterAll(() => scratch.cleanup());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function node(argv: string[], env: Record<string, string>): Promise<Run> {
  return collect(spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** A config dir with a ready profile and fresh caches (no gateway behind it: nothing may call one). */
function fixture(): string {
  const dir = join(scratch.dir, 'config');
  mkdirSync(join(dir, 'cache', 'p'), { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  chmodSync(join(dir, 'cache'), 0o700);
  const now = Date.now();
  const iso = new Date(now).toISOString();
  const baseUrl = 'https://127.0.0.1:9';
  const write = (file: string, value: unknown) =>
    writeFileSync(join(dir, file), JSON.stringify(value), { mode: 0o600 });
  write('config.json', {
    version: 1,
    defaultProfile: 'p',
    profiles: {
      p: {
        baseUrl,
        clientId: 'client',
        accessToken: 'token',
        accessTokenExpiresAt: new Date(now + 86_400_000).toISOString(),
        refreshToken: 'refresh',
        refreshTokenIssuedAt: iso,
        createdAt: iso,
        updatedAt: iso,
      },
    },
  });
  const cache = (name: string, data: unknown) =>
    write(join('cache', 'p', `${name}.json`), { fetchedAt: now, baseUrl, data });
  cache('services', [{ name: 'foundation_ap', category: 'foundation', deviceType: 'IAP', central: true }]);
  cache(
    'customers',
    Array.from({ length: 1234 }, (_, i) => ({ id: `c${i + 1}`, name: `Customer ${i + 1}` })),
  );
  return dir;
}

const config = fixture();
const env = { ...baseEnv(config), NO_COLOR: '1' };
const QUICK = [
  ['services'],
  ['customers'],
  ['customers', '--json'],
  ['profiles'],
  ['history'],
  ['auth', 'status', '--offline'],
  ['completion', 'bash'],
  ['assign', '--bogus'],
  ['assign', '-s', 'foundation_ap'],
  ['help', 'nope'],
];

describe('prerendered help (dist/help.json)', () => {
  test('every text bin/ serves is what commander prints for that argv, exit 0', async () => {
    const help = JSON.parse(readFileSync(join(ROOT, 'dist', 'help.json'), 'utf8')) as {
      texts: string[];
      argv: Record<string, number>;
    };
    const argvs = Object.keys(help.argv);
    expect(argvs).toEqual(expect.arrayContaining(['--help', 'assign --help', 'auth status -h', 'help cron']));
    for (let i = 0; i < argvs.length; i += 6) {
      await Promise.all(
        argvs.slice(i, i + 6).map(async (line) => {
          const argv = line.split(' ');
          // dist/main.js: the CLI itself (commander renders), not bin/'s shortcut.
          const [served, rendered] = await Promise.all([
            node([BIN, ...argv], env),
            node([join(ROOT, 'dist', 'main.js'), ...argv], env),
          ]);
          expect(served, line).toEqual(rendered);
          expect(served.code, line).toBe(0);
          expect(served.stdout, line).toBe(help.texts[help.argv[line] as number]);
        }),
      );
    }
  }, 120_000);
});

describe('V8 code caches', () => {
  test('the build made one for this Node, for the CLI, each quick-lane bundle and each heavy dependency', () => {
    const v8 = process.versions.v8;
    expect(readdirSync(join(ROOT, 'dist'))).toContain(`cli.cjs.${v8}.cache`);
    for (const name of [
      'services',
      'customers',
      'profiles',
      'history',
      'auth-status',
      'completion',
      'assign',
      'unassign',
    ])
      expect(readdirSync(join(ROOT, 'dist'))).toContain(`quick-${name}.cjs.${v8}.cache`);
    const chunks = readdirSync(join(ROOT, 'dist', 'chunks'));
    for (const name of ['undici', 'zod', 'conf', 'chalk', 'ora'])
      expect(chunks).toContain(`${name}.cjs.${v8}.cache`);
  });

  test('a copy of the package without them answers byte for byte the same', async () => {
    const bare = join(scratch.dir, 'bare');
    for (const entry of ['bin', 'dist', 'package.json'])
      cpSync(join(ROOT, entry), join(bare, entry), { recursive: true });
    for (const dir of [join(bare, 'dist'), join(bare, 'dist', 'chunks')])
      for (const file of readdirSync(dir)) if (file.endsWith('.cache')) rmSync(join(dir, file));
    for (const argv of QUICK) {
      const [cached, plain] = await Promise.all([
        node([BIN, ...argv], env),
        node([join(bare, 'bin', 'msp-license.js'), ...argv], env),
      ]);
      expect(cached, argv.join(' ')).toEqual(plain);
    }
  }, 120_000);
});

describe('commands answered from the caches', () => {
  test('load no heavy dependency (nothing from dist/chunks)', async () => {
    const preload = join(scratch.dir, 'loaded.cjs');
    const log = join(scratch.dir, 'loaded.txt');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(log)}, Object.keys(require.cache).join('\\n') + '\\n'));\n`,
    );
    for (const argv of QUICK) {
      rmSync(log, { force: true });
      const run = await node(['--require', preload, BIN, ...argv], env);
      expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(
        argv[0] === 'assign' || argv[0] === 'help' ? 2 : 0,
      );
      const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      // Through one of the bundles (the quick lane's or the full CLI's), not source.
      const bundle = /\/dist\/(cli|quick-[\w-]+)\.cjs$/;
      expect(loaded.filter((file) => bundle.test(file)).length, argv.join(' ')).toBe(1);
      expect(
        loaded.filter((file) => file.includes(join('dist', 'chunks'))),
        argv.join(' '),
      ).toEqual([]);
    }
  }, 120_000);
});
