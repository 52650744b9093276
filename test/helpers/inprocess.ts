// A command's `run` called in-process: a Context over a test IO (pipes, no terminal, no colour)
// and a config dir with a profile logged in to a sandbox, written straight into the store.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ConfigStore } from '../../src/config/store.js';
import { Context } from '../../src/context.js';
import type { GlobalOptions } from '../../src/globals.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { createIO } from '../../src/ui/io.js';
import { tempDir } from './cli.js';

export interface TestRun {
  ctx: Context;
  dir: string;
  stdout: () => string;
  stderr: () => string;
  cleanup: () => void;
}

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk) => {
    text += String(chunk);
  });
  return () => text;
}

/** A Context for the sandbox's profile 'sandbox', its output captured. */
export function inProcess(sandbox: Sandbox, globals: GlobalOptions = {}): TestRun {
  const t = tempDir();
  const dir = join(t.dir, 'config');
  mkdirSync(dir, { mode: 0o700 });
  const now = new Date().toISOString();
  const c = sandbox.credentials;
  ConfigStore.open(dir).saveProfile(
    {
      name: 'sandbox',
      baseUrl: sandbox.url,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      accessToken: c.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + c.expiresIn * 1000).toISOString(),
      refreshToken: c.refreshToken,
      refreshTokenIssuedAt: now,
      createdAt: now,
      updatedAt: now,
    },
    { makeDefault: true },
  );
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  const env = { MSP_LICENSE_CONFIG_DIR: dir, NO_COLOR: '1', PATH: process.env.PATH ?? '' };
  const io = createIO(globals, { stdout, stderr, stdin, env });
  return {
    ctx: new Context(io, { profile: 'sandbox', ...globals }, env),
    dir,
    stdout: collect(stdout),
    stderr: collect(stderr),
    cleanup: t.cleanup,
  };
}
