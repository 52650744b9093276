// A command's `run` called in-process: a Context over a test IO (pipes, no terminal, no colour)
// and a config dir with a profile logged in to a sandbox, written straight into the store.
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ConfigStore } from '../../src/config/store.js';
import { Context } from '../../src/context.js';
import type { GlobalOptions } from '../../src/globals.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/server.js';
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

// ---------------------------------------------------------------- one command, as the runtime runs it

/** What a command module exports (src/runtime.ts's CommandModule). */
export interface CommandLike {
  run: (ctx: Context, options: any, ...args: any[]) => Promise<unknown>;
  render?: (result: any, ctx: Context) => void;
  answers?: (result: any) => boolean;
}

export interface CommandResult {
  /** The exit code the runtime would set: 0, or writeError's code for the error that ended it. */
  code: number;
  /** Never a signal in-process (the shape of test/helpers/cli.ts's CliResult). */
  signal: null;
  stdout: string;
  stderr: string;
  /** The command's result (before rendering), or the error that ended it. */
  result?: unknown;
  error?: unknown;
}

export interface CallOptions {
  /**
   * Global options (--json, --quiet, -p…); `profile` defaults to 'sandbox' (undefined: none).
   * The variables commander reads into them (MSP_LICENSE_PROFILE, MSP_LICENSE_BASE_URL,
   * MSP_LICENSE_REQUEST_TIMEOUT) go here, as commander would hand them over.
   */
  globals?: GlobalOptions;
  /** Environment beside MSP_LICENSE_CONFIG_DIR, NO_COLOR and PATH (undefined removes). */
  env?: Record<string, string | undefined>;
  /** What stdin holds (a file behind the fd the IO reads); none: empty. */
  input?: string;
  /** Positional arguments after the options. */
  args?: unknown[];
}

/**
 * A command's run and render in-process, as src/runtime.ts's runCommand does it (JSON or the
 * render, --quiet, the error written by writeError and its exit code), with a fresh IO and
 * Context per call (as a process would have) over test streams: no process, no signal handlers.
 */
export async function callCommand(
  dir: string,
  command: CommandLike,
  options: Record<string, unknown> = {},
  call: CallOptions = {},
): Promise<CommandResult> {
  const globals: GlobalOptions = { profile: 'sandbox', ...call.globals };
  if (globals.profile === undefined) delete globals.profile;
  return execute(dir, command, { ...globals, ...options }, globals, call);
}

/**
 * argv as the user types it (`['--json', 'history', '--limit', '1']`), parsed by the real
 * commander tree (src/cli.ts's buildProgram, its defaults, its variables), then the command's
 * run and render in-process as callCommand does. `call.env` is also what commander reads
 * (MSP_LICENSE_PROFILE…) while it parses.
 */
export async function cliCommand(
  dir: string,
  argv: string[],
  call: Omit<CallOptions, 'globals' | 'args'> = {},
) {
  const { buildProgram, invocation, setDispatcher } = await import('../../src/cli.js');
  let captured:
    | { load: () => Promise<unknown>; globals: GlobalOptions; options: () => unknown; args: unknown[] }
    | undefined;
  // The real dispatcher's parsing (src/cli.ts invocation): typed options, globals apart.
  setDispatcher(async (load, command, args, flags) => {
    captured = { load, ...invocation(command, flags), args };
  });
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(call.env ?? {})) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const program = buildProgram();
    program.exitOverride();
    for (const c of program.commands) c.exitOverride();
    await program.parseAsync(['node', 'msp-license', ...argv]);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  if (!captured) throw new Error(`no command ran for ${argv.join(' ')}`);
  const command = (await captured.load()) as CommandLike;
  return execute(dir, command, captured.options, captured.globals, {
    ...call,
    args: captured.args,
  });
}

async function execute(
  dir: string,
  command: CommandLike,
  options: Record<string, unknown> | (() => unknown),
  globals: GlobalOptions,
  call: CallOptions,
): Promise<CommandResult> {
  const { writeError } = await import('../../src/ui/report-error.js');
  const env: NodeJS.ProcessEnv = { MSP_LICENSE_CONFIG_DIR: dir, NO_COLOR: '1', PATH: process.env.PATH ?? '' };
  for (const [k, v] of Object.entries(call.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const t = tempDir('msp-license-stdin-');
  const stdinFile = join(t.dir, 'stdin');
  writeFileSync(stdinFile, call.input ?? '');
  const stdinFd = openSync(stdinFile, 'r');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const io = createIO(globals, { stdout, stderr, stdin: new PassThrough(), stdinFd, env });
  const ctx = new Context(io, globals, env);
  const done = (code: number, more: Partial<CommandResult>): CommandResult => ({
    code,
    signal: null,
    stdout: out(),
    stderr: err(),
    ...more,
  });
  try {
    const parsed = typeof options === 'function' ? options() : options;
    const result = await command.run(ctx, parsed, ...(call.args ?? []));
    if (result !== undefined) {
      if (io.json) io.out(JSON.stringify(result, null, 2));
      else if (command.render && (!io.quiet || command.answers?.(result))) command.render(result, ctx);
    }
    return done(0, { result });
  } catch (error) {
    const code = writeError(error, {
      json: io.json,
      color: io.color,
      verbose: io.verbose,
      secrets: ctx.secrets(),
      stderr,
    });
    return done(code, { error });
  } finally {
    ctx.cleanup();
    closeSync(stdinFd);
    t.cleanup();
  }
}

/** A config dir logged in to `sandbox` as profile `name` (written straight into the store). */
export function loggedIn(
  sandbox: Sandbox,
  dir?: string,
  name = 'sandbox',
  credentials: Partial<Sandbox['credentials']> = {},
): { dir: string; cleanup: () => void } {
  const t = dir ? { dir, cleanup: () => {} } : tempDir();
  const config = dir ?? join(t.dir, 'config');
  mkdirSync(config, { recursive: true, mode: 0o700 });
  const now = new Date().toISOString();
  const c = { ...sandbox.credentials, ...credentials };
  ConfigStore.open(config).saveProfile(
    {
      name,
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
    { makeDefault: !ConfigStore.open(config).defaultProfileName() },
  );
  return { dir: config, cleanup: t.cleanup };
}

// ---------------------------------------------------------------- a sandbox and a logged-in dir

const opened: Array<() => Promise<void> | void> = [];

/** Closes every sandbox and removes every dir `inWorld` made; `afterEach(closeWorlds)`. */
export async function closeWorlds(): Promise<void> {
  while (opened.length) await opened.pop()?.();
}

export interface InWorld {
  sandbox: Sandbox;
  /** The config dir, logged in to the sandbox as profile 'sandbox' (the default). */
  dir: string;
  /** Its parent, a scratch dir for token files and lists. */
  root: string;
  ids: string[];
  names: string[];
  /** One command run in-process against this dir (see callCommand). */
  cmd: (
    command: CommandLike,
    options?: Record<string, unknown>,
    call?: CallOptions,
  ) => Promise<CommandResult>;
  /** argv parsed by the real commander tree, then run in-process (see cliCommand). */
  cli: (argv: string[], call?: Omit<CallOptions, 'globals' | 'args'>) => Promise<CommandResult>;
}

/**
 * A sandbox (6 customers / 150 devices unless told otherwise) and a config dir logged in to it as
 * profile 'sandbox': written straight into the store (`login: true`), or by the login command
 * in-process with a Download Token file and the secret on stdin (`login: 'command'`, as
 * test/helpers/cli.ts's loginToSandbox does with the built CLI: a refresh, then the services
 * list cached), or not at all (`login: false`).
 */
export async function inWorld(
  options: SandboxOptions = {},
  { login = true }: { login?: boolean | 'command' } = {},
): Promise<InWorld> {
  const { start } = await import('./sandbox.js');
  const sandbox = await start({ customers: 6, devices: 150, ...options });
  opened.push(() => sandbox.close());
  const t = tempDir();
  opened.push(t.cleanup);
  const dir = join(t.dir, 'config');
  if (login === true) loggedIn(sandbox, dir);
  const world: InWorld = {
    sandbox,
    dir,
    root: t.dir,
    ids: sandbox.estate.customers.map((c) => c.customer_id),
    names: sandbox.estate.customers.map((c) => c.customer_name),
    cmd: (command, opts, call) => callCommand(dir, command, opts, call),
    cli: (argv, call) => cliCommand(dir, argv, call),
  };
  if (login === 'command') {
    const tokenFile = join(t.dir, 'token.json');
    const c = sandbox.credentials;
    writeFileSync(
      tokenFile,
      JSON.stringify({
        access_token: c.accessToken,
        refresh_token: c.refreshToken,
        expires_in: 7200,
        token_type: 'bearer',
      }),
    );
    const result = await world.cli(
      [
        '--profile',
        'sandbox',
        'login',
        '--base-url',
        sandbox.url,
        '--client-id',
        c.clientId,
        '--client-secret-stdin',
        '--token-file',
        tokenFile,
      ],
      { input: `${c.clientSecret}\n` },
    );
    if (result.code !== 0) throw new Error(`login failed (${result.code}): ${result.stderr}`);
  }
  return world;
}
