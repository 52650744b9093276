// Issue 11: hostile input, hostile servers, hostile files. Each finding has a test here against a
// server or file of the test's own; every run is bounded (300 MB, 30 s) by the harness.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import {
  type BoundedResult,
  drip,
  type Hostile,
  hostileServer,
  json,
  MAX_RSS_MB,
  readText,
  runBounded,
  SECRET,
  signalAfter,
  stream,
  writeProfile,
} from '../helpers/hostile.js';
import { runInPty } from '../helpers/pty.js';

const cleanups: Array<() => unknown> = [];
const hasSetpriv = spawnSync('sh', ['-c', 'command -v setpriv']).status === 0;
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function scratch(): { root: string; dir: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return { root: t.dir, dir: join(t.dir, 'config') };
}

async function server(handler: Parameters<typeof hostileServer>[0]): Promise<Hostile> {
  const s = await hostileServer(handler);
  cleanups.push(() => s.close());
  return s;
}

/** Within the issue's bounds, not killed by the harness. */
function bounded(result: BoundedResult): void {
  expect(result.killed, `killed for ${result.killed}: ${result.stderr.slice(0, 500)}`).toBeUndefined();
  expect(result.peakRssMb).toBeLessThan(MAX_RSS_MB);
}

const tokenAnswer = {
  access_token: 'at-fresh-0123456789abcdef0123',
  refresh_token: 'rt-fresh-0123456789abcdef0123',
  expires_in: 7200,
  token_type: 'bearer',
};

describe('finding 1: a lock file that cannot be read is held, not gone', () => {
  const kinds: Array<[string, (lock: string, root: string) => void]> = [
    ['a dangling symlink', (lock, root) => symlinkSync(join(root, 'nowhere'), lock)],
    ['a directory', (lock) => mkdirSync(lock)],
    ['a FIFO', (lock) => execFileSync('mkfifo', [lock])],
  ];
  for (const [kind, make] of kinds) {
    test(`config.lock as ${kind}: the run waits without spinning and Ctrl-C ends it with 130, store intact`, async () => {
      const s = await server((_req, res) => json(res, 200, tokenAnswer));
      const { root, dir } = scratch();
      const before = writeProfile(dir, s.url, { expired: true });
      const lock = join(dir, 'config.lock');
      make(lock, root);
      const result = await runBounded(dir, ['customers', '--refresh'], {
        onSpawn: signalAfter('SIGINT', 1500),
      });
      bounded(result);
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toMatch(/Interrupted/);
      expect(readText(join(dir, 'config.json'))).toBe(before);
      expect(s.seen).toEqual([]);
    });
  }

  test.skipIf(process.getuid?.() !== 0 || !hasSetpriv)(
    'config.lock a root-owned 0600 file another user cannot read: held, not spun on; Ctrl-C gives 130',
    async () => {
      const s = await server((_req, res) => json(res, 200, tokenAnswer));
      const { root, dir } = scratch();
      chmodSync(root, 0o755);
      const before = writeProfile(dir, s.url, { expired: true });
      chownSync(dir, 65534, 65534);
      chownSync(join(dir, 'config.json'), 65534, 65534);
      writeFileSync(join(dir, 'config.lock'), '{"pid":1,"hostname":"elsewhere"}', { mode: 0o600 });
      const result = await runBounded(dir, ['customers', '--refresh'], {
        prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
        onSpawn: signalAfter('SIGINT', 1500),
      });
      bounded(result);
      expect(result.code, result.stderr).toBe(130);
      expect(readText(join(dir, 'config.json'))).toBe(before);
      expect(s.seen).toEqual([]);
    },
  );

  test('SIGTERM during the lock wait ends the run with 143', async () => {
    const s = await server((_req, res) => json(res, 200, tokenAnswer));
    const { root, dir } = scratch();
    const before = writeProfile(dir, s.url, { expired: true });
    symlinkSync(join(root, 'nowhere'), join(dir, 'config.lock'));
    const result = await runBounded(dir, ['customers', '--refresh'], {
      onSpawn: signalAfter('SIGTERM', 1500),
    });
    bounded(result);
    expect(result.code, result.stderr).toBe(143);
    expect(readText(join(dir, 'config.json'))).toBe(before);
  });

  test('a stale dangling symlink (old lstat mtime) is broken, not followed, and the refresh goes ahead', async () => {
    const s = await server((req, res) => {
      if (req.url?.startsWith('/oauth2/token')) json(res, 200, tokenAnswer);
      else json(res, 200, { total: 1, customers: [{ customer_id: 'c1', customer_name: 'One' }] });
    });
    const { root, dir } = scratch();
    writeProfile(dir, s.url, { expired: true });
    const lock = join(dir, 'config.lock');
    symlinkSync(join(root, 'target-never-created'), lock);
    const old = new Date(Date.now() - 3_600_000);
    lutimesSync(lock, old, old);
    const result = await runBounded(dir, ['--json', 'customers', '--refresh']);
    bounded(result);
    expect(result.code, result.stderr).toBe(0);
    expect(s.seen[0]).toMatch(/^POST \/oauth2\/token/);
    expect(() => readText(join(root, 'target-never-created'))).toThrow();
  });
});

/** The environment of a run against `url` with a bearer token from the environment (no config). */
const envToken = (url: string) => ({
  MSP_LICENSE_ACCESS_TOKEN: SECRET.accessToken,
  MSP_LICENSE_BASE_URL: url,
});

describe('finding 4: a cap on every answer and a deadline on every request', () => {
  test('a 2 GB body is refused past the cap, in bounded memory', async () => {
    const s = await server((_req, res) => stream(res, Buffer.alloc(1 << 20, 0x20), 2 * 1024 ** 3));
    const { dir } = scratch();
    const result = await runBounded(dir, ['customers', '--refresh'], { env: envToken(s.url) });
    bounded(result);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/larger than 16 MiB; it was refused/);
  });

  test('a 110 MB customers page announced by Content-Length is refused before it is read', async () => {
    const size = 110 * 1024 * 1024;
    const s = await server((_req, res) =>
      stream(res, Buffer.alloc(1 << 20, 0x20), size, { 'content-length': size }),
    );
    const { dir } = scratch();
    const result = await runBounded(dir, ['customers', '--refresh'], { env: envToken(s.url) });
    bounded(result);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/larger than 16 MiB/);
  });

  test('a body dripping 1 byte/s is cut off by --request-timeout 2s (one retry), exit 6', async () => {
    const s = await server((_req, res) => drip(res, ' ', 1000));
    const { dir } = scratch();
    const result = await runBounded(dir, ['--request-timeout', '2s', 'customers', '--refresh'], {
      env: envToken(s.url),
    });
    bounded(result);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toMatch(/within 2s/);
    expect(s.seen.length).toBe(2);
  });

  test('an endless chunked stream (1 kB every 20 ms) is cut off by the deadline', async () => {
    const s = await server((_req, res) => drip(res, `${' '.repeat(1023)},`, 20));
    const { dir } = scratch();
    const result = await runBounded(dir, ['--request-timeout', '2s', 'customers', '--refresh'], {
      env: envToken(s.url),
    });
    bounded(result);
    expect(result.code, result.stderr).toBe(6);
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${signal} while a body drips ends the run with ${code}, the store intact`, async () => {
      const s = await server((_req, res) => drip(res, ' ', 1000));
      const { dir } = scratch();
      const before = writeProfile(dir, s.url);
      const result = await runBounded(dir, ['customers', '--refresh'], {
        onSpawn: signalAfter(signal, 1500),
      });
      bounded(result);
      expect(result.code, result.stderr).toBe(code);
      expect(readText(join(dir, 'config.json'))).toBe(before);
      expect(existsSync(join(dir, 'config.lock'))).toBe(false);
    });
  }

  test('a token endpoint that drips gives up by the deadline and releases the lock; the store is intact', async () => {
    const s = await server((req, res) => {
      if (req.url?.startsWith('/oauth2/token')) drip(res, ' ', 1000);
      else json(res, 200, { total: 0, customers: [] });
    });
    const { dir } = scratch();
    const before = writeProfile(dir, s.url, { expired: true });
    const result = await runBounded(dir, ['--request-timeout', '2s', 'customers', '--refresh']);
    bounded(result);
    expect(result.code, result.stderr).toBe(6);
    expect(readText(join(dir, 'config.json'))).toBe(before);
    expect(existsSync(join(dir, 'config.lock'))).toBe(false);
    expectNoSecrets(result);
  });
});

function expectNoSecrets(result: BoundedResult): void {
  for (const secret of Object.values(SECRET).slice(1)) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe('finding 5: a lying total allocates nothing and fetches a bounded number of pages', () => {
  const liar = (repeat: boolean) =>
    server((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.endsWith('/devices')) return json(res, 200, { total: 0, devices: [] });
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const items = offset === 0 || repeat ? [{ customer_id: 'c1', customer_name: 'Only One' }] : [];
      json(res, 200, { total: 1_000_000_000, customers: items });
    });

  for (const repeat of [false, true]) {
    test(`{"total":1000000000} with one customer, then ${repeat ? 'the same one again' : 'empty pages'}`, async () => {
      const s = await liar(repeat);
      const { dir } = scratch();
      const result = await runBounded(dir, ['--json', 'customers', '--refresh'], { env: envToken(s.url) });
      bounded(result);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).customers.map((c: { id: string }) => c.id)).toEqual(['c1']);
      const pages = s.seen.filter((line) => line.startsWith('GET /msp_api/v1/customers?'));
      expect(pages.length).toBeLessThan(20);
    });
  }
});

describe('finding 6: masking comes before the cut', () => {
  test('a refresh token echoed across the 300-character cut of an error message is masked whole', async () => {
    const padding = 'x'.repeat(270);
    const s = await server((req, res) => {
      if (req.url?.startsWith('/oauth2/token')) {
        json(res, 400, {
          error: 'invalid_grant',
          error_description: `${padding} ${SECRET.refreshToken} is not valid`,
        });
      } else json(res, 200, { total: 0, customers: [] });
    });
    const { dir } = scratch();
    writeProfile(dir, s.url, { expired: true });
    for (const args of [
      ['customers', '--refresh'],
      ['--json', 'customers', '--refresh'],
    ]) {
      const result = await runBounded(dir, args);
      bounded(result);
      expect(result.code, result.stderr).toBe(4);
      expect(result.stderr).toMatch(/Token refresh failed/);
      // No run of 8 characters of the token shows (it straddled character 300 before).
      for (let i = 0; i + 8 <= SECRET.refreshToken.length; i++) {
        expect(result.stderr).not.toContain(SECRET.refreshToken.slice(i, i + 8));
      }
    }
  });
});

describe('finding 7: plain http:// only to a literal loopback address or exactly localhost', () => {
  test('http://<name>.localhost is refused before anything is resolved or sent (exit 2)', async () => {
    const s = await server((_req, res) => json(res, 200, { total: 0, customers: [] }));
    const { dir } = scratch();
    const result = await runBounded(dir, ['customers', '--refresh'], {
      env: envToken(`http://evil.localhost:${s.port}`),
    });
    bounded(result);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/plain http:\/\//);
    expect(result.stderr).toMatch(/127\.0\.0\.1, \[::1\] or localhost/);
    expect(s.seen).toEqual([]);
    expectNoSecrets(result);
  });

  test('localhost answered by a hostile DNS with an outside address: nothing is sent, the token stays', async () => {
    const { dir } = scratch();
    const result = await runBounded(dir, ['customers', '--refresh'], {
      env: {
        ...envToken('http://localhost:9'),
        NODE_OPTIONS: `--require ${join(import.meta.dirname, 'fixtures', 'hostile-dns.cjs')}`,
      },
    });
    bounded(result);
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toMatch(/localhost resolved to 192\.0\.2\.1, which is not a loopback address/);
    expectNoSecrets(result);
  });
});

describe('finding 10: a long gateway URL makes a short cache key', () => {
  test('a 300-character base URL with the token from the environment: the call and the cache both work', async () => {
    const s = await server((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.endsWith('/devices')) return json(res, 200, { total: 2, devices: [] });
      json(res, 200, { total: 1, customers: [{ customer_id: 'c1', customer_name: 'One' }] });
    });
    const { dir } = scratch();
    const base = `${s.url}/${'p'.repeat(300)}`;
    for (const args of [['customers', '--refresh'], ['customers']]) {
      const result = await runBounded(dir, ['--json', ...args], { env: envToken(base) });
      bounded(result);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).customers[0].id).toBe('c1');
    }
    // The second run came from the cache: one customers list call in all.
    expect(s.seen.filter((line) => line.includes('/msp_api/v1/customers?')).length).toBe(1);
  });
});

describe('finding 11: a hand-broken config.json shows where, never what', () => {
  const broken: Array<[string, (text: string) => string]> = [
    ['a secret left unquoted', (t) => t.replace(`"${SECRET.clientSecret}"`, SECRET.clientSecret)],
    [
      'a missing comma after the secret',
      (t) => t.replace(`"${SECRET.refreshToken}",`, `"${SECRET.refreshToken}"`),
    ],
    ['a file cut short inside the token', (t) => t.slice(0, t.indexOf(SECRET.accessToken) + 20)],
  ];
  for (const [what, breakIt] of broken) {
    test(`${what}: line and column only`, async () => {
      const { dir } = scratch();
      const text = breakIt(writeProfile(dir, 'https://example.invalid'));
      writeFileSync(join(dir, 'config.json'), text, { mode: 0o600 });
      for (const args of [['profiles'], ['--json', 'customers']]) {
        const result = await runBounded(dir, args);
        bounded(result);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toMatch(/is not valid JSON \(line \d+, column \d+\)/);
        for (const secret of Object.values(SECRET).slice(1)) {
          for (let i = 0; i + 6 <= secret.length; i++)
            expect(result.stderr).not.toContain(secret.slice(i, i + 6));
        }
        expect(readText(join(dir, 'config.json'))).toBe(text);
      }
    });
  }
});

describe('finding 8: input files are regular files of a sensible size, opened without blocking', () => {
  const assign = (file: string) => ['assign', '-s', 'foundation_ap', '--include-file', file, '--dry-run'];

  test('--include-file /dev/zero and login --token-file /dev/zero: refused at once (exit 2)', async () => {
    const { dir } = scratch();
    const include = await runBounded(dir, assign('/dev/zero'), { env: envToken('http://127.0.0.1:9') });
    bounded(include);
    expect(include.code, include.stderr).toBe(2);
    expect(include.stderr).toMatch(/customer list '\/dev\/zero' is a character device, not a regular file/);
    const login = await runBounded(
      dir,
      [
        'login',
        '--base-url',
        'http://127.0.0.1:9',
        '--client-id',
        'x',
        '--client-secret-stdin',
        '--token-file',
        '/dev/zero',
      ],
      { input: 'secret-value\n' },
    );
    bounded(login);
    expect(login.code, login.stderr).toBe(2);
    expect(login.stderr).toMatch(/token file '\/dev\/zero' is a character device/);
  });

  test('a FIFO with no writer is refused without blocking', async () => {
    const { root, dir } = scratch();
    const fifo = join(root, 'list.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await runBounded(dir, assign(fifo), { env: envToken('http://127.0.0.1:9') });
    bounded(result);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/is a named pipe \(FIFO\), not a regular file/);
    expect(result.stderr).toMatch(/'-' for stdin/);
  });

  test('a 300 MB customer list is refused by its size before it is read', async () => {
    const { root, dir } = scratch();
    const big = join(root, 'big.txt');
    writeFileSync(big, '');
    truncateSync(big, 300 * 1024 * 1024);
    const result = await runBounded(dir, assign(big), { env: envToken('http://127.0.0.1:9') });
    bounded(result);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/is 300 MiB; the limit is 8 MiB/);
  });

  test('--include-file - with /dev/zero on stdin: refused past the cap, in bounded memory', async () => {
    const { dir } = scratch();
    const result = await runBounded(dir, assign('-'), {
      env: envToken('http://127.0.0.1:9'),
      stdinPath: '/dev/zero',
    });
    bounded(result);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/More than 8 MiB on stdin/);
  });
});

describe('finding 9: a config that is not a regular file of ours, in a folder of ours, is refused', () => {
  test('config.json as a symlink: refused for reads and writes, the target neither read, written nor chmodded', async () => {
    const { root, dir } = scratch();
    const elsewhere = join(root, 'elsewhere.json');
    const text = writeProfile(dir, 'https://example.invalid');
    writeFileSync(elsewhere, text, { mode: 0o644 });
    chmodSync(elsewhere, 0o644);
    rmSync(join(dir, 'config.json'));
    symlinkSync(elsewhere, join(dir, 'config.json'));
    const read = await runBounded(dir, ['profiles']);
    bounded(read);
    expect(read.code, read.stderr).toBe(1);
    expect(read.stderr).toMatch(
      /config\.json cannot be read: it is a symbolic link \(to .*elsewhere\.json\)/,
    );
    expect(read.stderr).toMatch(/cp --remove-destination/);
    const write = await runBounded(dir, ['profiles', 'use', 'p']);
    expect(write.code, write.stderr).toBe(1);
    expect(readText(elsewhere)).toBe(text);
    expect(statSync(elsewhere).mode & 0o777).toBe(0o644);
    expect(lstatSync(join(dir, 'config.json')).isSymbolicLink()).toBe(true);
  });

  test('a config dir others can write: refused with the chmod that fixes it, nothing written', async () => {
    const { dir } = scratch();
    const text = writeProfile(dir, 'https://example.invalid');
    chmodSync(dir, 0o777);
    const result = await runBounded(dir, ['profiles']);
    bounded(result);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/can be written by other users \(mode 0777\)/);
    expect(result.stderr).toContain(`chmod 700 '${dir}'`);
    expect(readText(join(dir, 'config.json'))).toBe(text);
  });

  test.skipIf(process.getuid?.() !== 0)(
    'a config dir owned by another user: refused with the chown that fixes it',
    async () => {
      const { dir } = scratch();
      writeProfile(dir, 'https://example.invalid');
      chownSync(dir, 65534, 65534);
      const result = await runBounded(dir, ['profiles']);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/belongs to another user \(uid 65534\)/);
      expect(result.stderr).toMatch(/chown 0 /);
    },
  );

  test('completion ignores a customers cache in a folder others can write (it could be planted)', async () => {
    const { dir } = scratch();
    writeProfile(dir, 'https://example.invalid');
    const folder = join(dir, 'cache', 'p');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(folder, 'customers.json'),
      JSON.stringify({
        fetchedAt: Date.now(),
        baseUrl: 'https://example.invalid',
        data: [{ id: 'c1', name: 'Acme' }],
      }),
      { mode: 0o600 },
    );
    const complete = () => runBounded(dir, ['__complete', 'assign', '--include', 'Ac']);
    expect((await complete()).stdout).toContain('Acme');
    chmodSync(folder, 0o777);
    expect((await complete()).stdout).not.toContain('Acme');
    // Profile names come from config.json: not from a config dir others can write either.
    const profiles = () => runBounded(dir, ['__complete', '--profile', '']);
    expect((await profiles()).stdout).toMatch(/^p\b/m);
    chmodSync(dir, 0o777);
    expect((await profiles()).stdout).not.toMatch(/^p\b/m);
  });
});

describe('finding 3: nothing a server sends drives the terminal or breaks a line', () => {
  const HOSTILE = [
    '\u001b]0;owned title\u0007', // OSC: window title
    '\u001b[2J\u001b[H', // clear the screen
    '\u001b[5mblink', // blinking text
    '\u009b2J', // C1 CSI
    '\u202eReversed', // bidi override
    '\r\n✔ All licenses removed', // a fake line of our own
    '\u007f',
  ].join('');
  /** No escape but our own colours, no C1, no bidi, no CR, and the fake line never starts a line. */
  const clean = (text: string) => {
    expect(text.replace(/\u001b\[(?:1|2|22|31|32|33|36|39)m/g, '')).not.toMatch(
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
    );
    expect(text).not.toMatch(/^✔ All licenses removed/m);
  };

  test('customer names in the table and in --json, and a server error message', async () => {
    const s = await server((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.endsWith('/devices')) return json(res, 400, { message: `bad ${HOSTILE}` });
      json(res, 200, { total: 1, customers: [{ customer_id: 'c1', customer_name: `Acme${HOSTILE}` }] });
    });
    const { dir } = scratch();
    for (const args of [['customers', '--refresh'], ['--json', 'customers'], ['customers']]) {
      const result = await runBounded(dir, args, { env: { ...envToken(s.url), FORCE_COLOR: '1' } });
      bounded(result);
      expect(result.code, result.stderr).toBe(0);
      clean(result.stdout);
      clean(result.stderr);
      expect(result.stdout).toContain('Acme');
    }
    const failing = await server((_req, res) => json(res, 400, { message: `refused ${HOSTILE}` }));
    const error = await runBounded(dir, ['customers', '--refresh'], { env: envToken(failing.url) });
    expect(error.code, error.stderr).toBe(1);
    expect(error.stderr).toMatch(/refused/);
    clean(error.stderr);
  });

  test('an error replayed by `history` (as an older build wrote it)', async () => {
    const { dir } = scratch();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const base = {
      id: 'j1',
      profile: 'p',
      gateway: 'https://x',
      verb: 'assign',
      services: ['foundation_ap'],
    };
    writeFileSync(
      join(dir, 'history.jsonl'),
      `${JSON.stringify({ ...base, event: 'sent', time: '2026-01-01T00:00:00Z' })}\n${JSON.stringify({
        ...base,
        event: 'result',
        time: '2026-01-01T00:01:00Z',
        outcome: 'failed',
        error: `Central said ${HOSTILE}`,
      })}\n`,
      { mode: 0o600 },
    );
    const result = await runBounded(dir, ['history']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Central said');
    clean(result.stdout);
  });
});

describe('finding 8 (cont.): a list of the largest accepted size resolves in bounded time', () => {
  test('8 MiB of unknown names (one line of 2 MiB among them) against 300 customers: exit 2 at once, a short message', async () => {
    const customers = Array.from({ length: 300 }, (_, i) => ({
      customer_id: `id-${String(i).padStart(4, '0')}`,
      customer_name: `Customer number ${i}`,
    }));
    const s = await server((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.includes('/services/config')) {
        return json(res, 200, { services: [{ service_name: 'foundation_ap', device_type: 'IAP' }] });
      }
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      json(res, 200, { total: customers.length, customers: customers.slice(offset, offset + limit) });
    });
    const { root, dir } = scratch();
    const file = join(root, 'huge-list.txt');
    const line = 'x'.repeat(2 * 1024 * 1024);
    const names = Array.from({ length: 200_000 }, (_, i) => `unknown customer ${i}`).join('\n');
    writeFileSync(file, `${line}\n${names}\n`.slice(0, 8 * 1024 * 1024));
    const result = await runBounded(
      dir,
      ['assign', '-s', 'foundation_ap', '--include-file', file, '--dry-run'],
      {
        env: envToken(s.url),
      },
    );
    bounded(result);
    expect(result.code, result.stderr.slice(0, 2000)).toBe(2);
    expect(result.stderr).toMatch(/Unknown or ambiguous customers: 'x{79}…' is not a customer id or name/);
    expect(result.stderr).toMatch(/and \d+ more\./);
    expect(result.stderr.length).toBeLessThan(5000);
  });
});

describe('signals during a read of stdin that never ends', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`--include-file - with stdin open and silent: ${signal} ends the run (the shell sees ${code})`, async () => {
      const { dir } = scratch();
      const result = await runBounded(
        dir,
        ['assign', '-s', 'foundation_ap', '--include-file', '-', '--dry-run'],
        {
          env: envToken('http://127.0.0.1:9'),
          keepStdinOpen: true,
          onSpawn: signalAfter(signal, 1500),
        },
      );
      bounded(result);
      // Ended by the signal itself (default disposition): a shell reports 128 + its number.
      expect(result.signal, result.stderr).toBe(signal);
      expect(existsSync(join(dir, 'history.jsonl'))).toBe(false);
    });
  }
});

/** A gateway whose customer c1 has a name built to fake a line and drive the terminal. */
const planServer = async () => {
  const evil = 'Acme\r\n✔ All licenses removed\u001b[2J\u001b]0;owned\u0007';
  return server((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.includes('/services/config')) {
      return json(res, 200, { services: [{ service_name: 'foundation_ap', device_type: 'IAP' }] });
    }
    if (url.pathname.endsWith('/subscriptions/stats')) {
      // The attested stats shape (docs/central-contract.md): licenses total/available/used, devices unlicensed.
      return json(res, 200, { total: 100, available: 98, used: 2, non_subscribed_devices: 8, expiring: 0 });
    }
    if (url.pathname.endsWith('/devices')) return json(res, 200, { total: 10, devices: [] });
    json(res, 200, {
      total: 2,
      customers: [
        { customer_id: 'c1', customer_name: evil },
        { customer_id: 'c2', customer_name: 'Beta' },
      ],
    });
  });
};

describe('finding 3 (cont.): the plan an operator approves', () => {
  test('a customer name cannot print a fake line or escape into the --dry-run plan', async () => {
    const s = await planServer();
    const { dir } = scratch();
    const result = await runBounded(dir, ['assign', '-s', 'foundation_ap', '--include', 'c1', '--dry-run'], {
      env: { ...envToken(s.url), FORCE_COLOR: '1' },
    });
    bounded(result);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Acme');
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toMatch(/^✔ All licenses removed/m);
      expect(text.replace(/\u001b\[(?:1|2|22|31|32|33|36|39)m/g, '')).not.toMatch(
        /[\u0000-\u0008\u000b-\u001f]/,
      );
    }
  });
});

describe('finding 3 (cont.): the confirmation prompt, on a terminal', () => {
  test('the plan before "Proceed?" shows the hostile name neutralised; answering no exits 3', async () => {
    const s = await planServer();
    const { dir } = scratch();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const result = await runInPty(dir, ['unassign', '-s', 'foundation_ap', '--include', 'c1'], {
      env: { ...envToken(s.url) },
      input: ['n\r'],
    });
    expect(result.code, result.screen).toBe(3);
    expect(result.screen).toContain('Acme');
    expect(result.screen).not.toMatch(/^✔ All licenses removed/m);
    expect(result.screen).not.toContain('\u001b]0;owned');
    expect(result.screen).not.toContain('\u001b[2J');
  });
});
