// The package as a user gets it: `npm pack` ships the built CLI, README, licence and examples,
// never tests or sources; installing the tarball into an empty prefix (offline: everything is
// bundled, there are no runtime dependencies) gives a working `msp-license` on PATH.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
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
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: ROOT, env: npmEnv() });
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
    await run('npm', ['pack', '--pack-destination', dest], { cwd: ROOT, env: npmEnv() });
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
