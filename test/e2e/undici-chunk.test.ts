// The built undici chunk (dist/chunks/undici.cjs, scripts/build.mjs) stands in for node:http2 and
// node:assert until they are needed (issue 13): an HTTP/1.1 request loads neither, and a request
// to a server that negotiates h2 still works (the real node:http2 loaded on that first connect).
// Run by this Node and by every other Node line fetched into .cache/node-lines/.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collect, ROOT, tempDir } from '../helpers/cli.js';

const CHUNK = join(ROOT, 'dist', 'chunks', 'undici.cjs');
const scratch = tempDir('msp-license-undici-chunk-');
afterAll(() => scratch.cleanup());

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// The child: requires the chunk, makes one HTTP/1.1 request (reading the body), notes which of
// Node's modules are loaded, then (given an h2 URL) one request that negotiates h2.
const CHILD = `
const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
const { Agent, request } = require(process.argv[1]);
const [h1, h2] = process.argv.slice(2);
(async () => {
  const out = { atLoad: { http2: loaded('http2'), assert: loaded('assert') } };
  const a = await request(h1, { dispatcher: new Agent() });
  out.h1 = { status: a.statusCode, body: await a.body.json() };
  out.afterH1 = { http2: loaded('http2'), assert: loaded('assert'), tls: loaded('tls') };
  if (h2) {
    const agent = new Agent({ allowH2: true, connect: { rejectUnauthorized: false } });
    const b = await request(h2, { dispatcher: agent });
    out.h2 = { status: b.statusCode, body: await b.body.json() };
    out.afterH2 = { http2: loaded('http2') };
    await agent.close();
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
`;

const nodes = (() => {
  const lines = join(ROOT, '.cache', 'node-lines');
  const others = existsSync(lines)
    ? readdirSync(lines)
        .map((dir) => join(lines, dir, 'package', 'bin', 'node'))
        .filter((node) => existsSync(node))
    : [];
  return [process.execPath, ...others];
})();

function child(
  node: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return collect(
    spawn(node, ['-e', CHILD, CHUNK, ...args], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

const h1Server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ via: `HTTP/${req.httpVersion}`, path: req.url }));
});
let h2Server: ReturnType<typeof createSecureServer> | undefined;
let h1Url = '';
let h2Url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => h1Server.listen(0, '127.0.0.1', resolve));
  h1Url = `http://127.0.0.1:${(h1Server.address() as AddressInfo).port}/h1?x=1`;
  if (!hasOpenssl) return;
  // A throw-away self-signed certificate for the h2 server (the child does not verify it).
  const key = join(scratch.dir, 'key.pem');
  const cert = join(scratch.dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat([
      '-subj',
      '/CN=127.0.0.1',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  const server = createSecureServer({ key: readFileSync(key), cert: readFileSync(cert), allowHTTP1: false });
  server.on('stream', (stream, headers) => {
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(JSON.stringify({ via: 'h2', path: headers[':path'] }));
  });
  h2Server = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  h2Url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/h2`;
});
afterAll(async () => {
  await new Promise((resolve) => h1Server.close(resolve));
  if (h2Server) await new Promise((resolve) => h2Server?.close(resolve));
});

describe.each(nodes)('dist/chunks/undici.cjs under %s', (node) => {
  test('an HTTP/1.1 request loads neither node:http2 (nor tls) nor node:assert', async () => {
    const run = await child(node, [h1Url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.atLoad).toEqual({ http2: false, assert: false });
    expect(out.h1).toEqual({ status: 200, body: { via: 'HTTP/1.1', path: '/h1?x=1' } });
    expect(out.afterH1).toEqual({ http2: false, assert: false, tls: false });
  });

  test.skipIf(!hasOpenssl)(
    'a server that negotiates h2 is still answered over h2 (node:http2 loaded then)',
    async () => {
      const run = await child(node, [h1Url, h2Url]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout);
      expect(out.afterH1.http2).toBe(false);
      expect(out.h2).toEqual({ status: 200, body: { via: 'h2', path: '/h2' } });
      expect(out.afterH2).toEqual({ http2: true });
    },
  );
});
