// The package as a user gets it: `npm pack` ships the built CLI, README, licence and examples,
// never tests or sources; installing the tarball into an empty prefix (offline: everything is
// bundled, there are no runtime dependencies) gives a working `msp-license` on PATH.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const scratch = tempDir('msp-license-pack-');
afterAll(scratch.cleanup);

/** npm without the developer's config, cache, update checks or network. */
function npmEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: scratch.dir,
    npm_config_cache: join(scratch.dir, 'npm-cache'),
    npm_config_userconfig: join(scratch.dir, 'npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_loglevel: 'error',
  };
}

describe('npm pack', () => {
  test('the package holds the built CLI, README, LICENSE and examples, and no tests or sources', async () => {
    // --ignore-scripts: `npm test` built dist/ already; a prepack rebuild would swap it under the
    // other test files running meanwhile.
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      env: npmEnv(),
    });
    const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path);
    for (const required of [
      'package.json',
      'bin/msp-license.js',
      'dist/cli.js',
      'README.md',
      'LICENSE',
      'docs/json-output.md',
      'examples/cron-nightly.sh',
      'examples/ci-github-actions.yml',
    ]) {
      expect(files).toContain(required);
    }
    const stray = files.filter((f) =>
      /^(test|src|scripts|\.ci|node_modules)\/|\.test\.|\.ts$|tsconfig|biome/.test(f),
    );
    expect(stray).toEqual([]);
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  test('installs from the tarball into an empty prefix and runs from there', async () => {
    const dest = join(scratch.dir, 'pack');
    const prefix = join(scratch.dir, 'prefix');
    mkdirSync(dest);
    mkdirSync(prefix);
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dest], { cwd: ROOT, env: npmEnv() });
    const tarballs = readdirSync(dest).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toEqual([`msp-license-${pkg.version}.tgz`]);
    await run('npm', ['install', '-g', '--offline', '--prefix', prefix, join(dest, tarballs[0] as string)], {
      cwd: scratch.dir,
      env: npmEnv(),
    });
    const bin = join(prefix, 'bin', 'msp-license');
    expect(existsSync(bin)).toBe(true);
    const env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: scratch.dir };

    const version = await run(bin, ['--version'], { env, cwd: scratch.dir });
    expect(version.stdout.trim()).toBe(pkg.version);
    // From PATH, as a user types it.
    const help = await run('msp-license', ['help', 'exit-codes'], { env, cwd: scratch.dir });
    expect(help.stdout).toMatch(/^Exit codes/);
    expect(help.stdout).toMatch(/130 +interrupted/);
    const installed = join(prefix, 'lib', 'node_modules', 'msp-license');
    expect(existsSync(join(installed, 'node_modules'))).toBe(false); // nothing to install: all bundled
    expect(existsSync(join(installed, 'test'))).toBe(false);
  });
});

/** A clone as `git clone` + `npm ci` leaves it: sources and node_modules, no dist/. */
function unbuiltClone(name: string): string {
  const clone = join(scratch.dir, name);
  mkdirSync(clone);
  for (const entry of [
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'README.md',
    'LICENSE',
    'bin',
    'src',
    'scripts',
    'docs',
    'examples',
  ]) {
    cpSync(join(ROOT, entry), join(clone, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  return clone;
}

describe('from a clone that was never built (issue 10, bug 3)', () => {
  test('npm pack builds first (prepack): the tarball holds dist/ and its CLI runs', async () => {
    const clone = unbuiltClone('clone-pack');
    const dest = join(scratch.dir, 'clone-dest');
    mkdirSync(dest);
    await run('npm', ['pack', '--pack-destination', dest], { cwd: clone, env: npmEnv() });
    const unpacked = join(scratch.dir, 'clone-unpacked');
    mkdirSync(unpacked);
    await run('tar', ['-xzf', join(dest, `msp-license-${pkg.version}.tgz`), '-C', unpacked]);
    const bin = join(unpacked, 'package', 'bin', 'msp-license.js');
    expect(existsSync(join(unpacked, 'package', 'dist', 'main.js'))).toBe(true);
    // A real command (not only --version, which the launcher answers without dist/).
    const topic = await run(process.execPath, [bin, 'help', 'exit-codes'], { cwd: scratch.dir });
    expect(topic.stdout).toMatch(/^Exit codes/);
  });

  test('node bin/msp-license.js says to build, not ERR_MODULE_NOT_FOUND', async () => {
    const clone = unbuiltClone('clone-bare');
    const failed = await run(process.execPath, [join(clone, 'bin', 'msp-license.js'), 'customers'], {
      cwd: clone,
    }).then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toBe(
      `Error: msp-license is not built (${clone}/dist/main.js is missing).\n  Run 'npm ci && npm run build' in ${clone} first.\n`,
    );
  });
});
