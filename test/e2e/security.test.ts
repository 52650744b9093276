// Secrets never leave the config file (every command with --verbose, error paths included);
// plain http:// only to loopback; certificates always verified; HTTPS_PROXY / HTTP_PROXY /
// NO_PROXY and NODE_EXTRA_CA_CERTS honoured.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { CliResult } from '../helpers/cli.js';
import { cleanupAll, profileOf, scratch, walk, world } from '../helpers/e2e.js';
import { forwardProxy, hasOpenssl, httpsFront, makeCerts } from '../helpers/proxy.js';
import { control, requestLog } from '../helpers/sandbox.js';

afterEach(cleanupAll);

describe('secrets sweep', () => {
  test('every command with --verbose: no secret in stdout, stderr, history, caches or logs', async () => {
    const w = await world({ jobSpeed: 200 });
    const { clientSecret, password, clientId } = w.sandbox.credentials;
    const secrets = new Set<string>([clientSecret, password, w.sandbox.credentials.accessToken]);
    secrets.add(w.sandbox.credentials.refreshToken);
    const collect = () => {
      const p = profileOf(w.dir);
      for (const v of [p?.accessToken, p?.refreshToken, p?.clientSecret]) if (v) secrets.add(v);
    };
    const outputs: Array<{ args: string[]; result: CliResult }> = [];
    const run = async (args: string[], options: Parameters<typeof w.cli>[1] = {}, expected = 0) => {
      const result = await w.cli(['--verbose', ...args], options);
      expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(expected);
      outputs.push({ args, result });
      collect();
      return result;
    };
    const id = w.ids[0] as string;

    // login with a Download Token file, then with username/password
    const fresh = await control(w.sandbox, 'tokens');
    const tokenFile = join(w.root, 'token.json');
    writeFileSync(tokenFile, JSON.stringify({ ...fresh, token_type: 'bearer' }));
    secrets.add(fresh.access_token);
    secrets.add(fresh.refresh_token);
    await run(
      [
        '--profile',
        'sandbox',
        'login',
        '--base-url',
        w.sandbox.url,
        '--client-id',
        clientId,
        '--client-secret-stdin',
        '--token-file',
        tokenFile,
      ],
      {
        input: `${clientSecret}\n`,
      },
    );
    await run(
      [
        '-p',
        'sandbox',
        'login',
        '--base-url',
        w.sandbox.url,
        '--client-id',
        clientId,
        '--username',
        'admin@sandbox.example',
      ].concat(['--password-stdin', '--customer-id', w.sandbox.credentials.customerId]),
      { input: `${password}\n`, env: { MSP_LICENSE_CLIENT_SECRET: clientSecret } },
    );
    await run(['auth', 'status']);
    await run(['auth', 'refresh']);
    await run(['--json', 'auth', 'status']);
    await run(['profiles']);
    await run(['services', '--refresh']);
    await run(['customers', '--refresh']);
    await run(['customers', '--search', 'Bank']);
    await run(['assign', '-s', 'foundation_ap', '--include', id, '--dry-run']);
    await run(['assign', '-s', 'foundation_ap', '--include', id, '--wait', '--interval', '1s']);
    await run(['--json', 'unassign', '-s', 'foundation_ap', '--include', id, '--yes']);
    await run(['status', '-s', 'foundation_ap', '--all-customers']);
    await run(['history']);
    await run(['completion', 'bash']);
    // A CI token from the environment, good and bad.
    // (The profile's own access token: minting another pair would kill its refresh token.)
    const current = profileOf(w.dir)?.accessToken as string;
    await run(['services', '--refresh'], { env: { MSP_LICENSE_ACCESS_TOKEN: current } });
    const bogus = 'bogus-token-0123456789abcdefghijklmnopqrstuvwxyz';
    secrets.add(bogus);
    await run(['services', '--refresh'], { env: { MSP_LICENSE_ACCESS_TOKEN: bogus } }, 4);
    // Access token expired at the gateway: a 401, a refresh (its URL carries the secret and the
    // refresh token as query parameters), a retry.
    await control(w.sandbox, 'expire-tokens');
    const refreshed = await run(['services', '--refresh']);
    expect(refreshed.stderr).toMatch(
      /→ POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/token\?client_id=[^&]+&client_secret=\*\*\*&grant_type=refresh_token&refresh_token=\*\*\*/,
    );
    // The refresh fails: the error path.
    await control(w.sandbox, 'expire-tokens');
    await control(w.sandbox, 'revoke-refresh');
    await run(['customers', '--refresh'], {}, 4);
    await run(['--json', 'auth', 'refresh'], {}, 4);
    // The gateway is gone in the middle of a refresh.
    const p = profileOf(w.dir);
    const file = join(w.dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.profiles.sandbox.accessTokenExpiresAt = new Date(Date.now() - 1000).toISOString();
    writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
    await w.sandbox.close();
    await run(['services', '--refresh'], {}, 6);
    expect(profileOf(w.dir)?.refreshToken).toBe(p?.refreshToken);
    await run(['logout']);

    const values = [...secrets].filter((s) => s.length >= 8);
    expect(values.length).toBeGreaterThanOrEqual(10);
    const places: Array<[string, string]> = [];
    for (const { args, result } of outputs) {
      places.push([`stdout of ${args.join(' ')}`, result.stdout]);
      places.push([`stderr of ${args.join(' ')}`, result.stderr]);
    }
    for (const path of walk(w.dir)) {
      if (statSync(path).isDirectory() || path === file) continue;
      places.push([path, readFileSync(path, 'utf8')]);
    }
    expect(places.some(([where]) => where.endsWith('history.jsonl'))).toBe(true);
    expect(places.some(([where]) => where.includes(`${join('cache', 'sandbox')}`))).toBe(true);
    const hits: string[] = [];
    for (const [where, text] of places) {
      for (const secret of values) if (text.includes(secret)) hits.push(`${where}: ${secret.slice(0, 4)}…`);
      if (/Bearer\s+(?!\*\*\*)[A-Za-z0-9\-._~+/=]{8,}/.test(text)) hits.push(`${where}: a bearer token`);
    }
    expect(hits).toEqual([]);
    // The trace was there to be redacted: every command traced its calls.
    expect(outputs.filter((o) => /→ (GET|POST|DELETE) /.test(o.result.stderr)).length).toBeGreaterThan(15);
  });
});

describe('transport', () => {
  test('plain http:// is refused for anything but loopback (flag, environment, login)', async () => {
    const w = await world();
    for (const result of [
      await w.cli(['--base-url', 'http://central.example.com', 'services']),
      await w.cli(['services'], { env: { MSP_LICENSE_BASE_URL: 'http://10.0.0.8:8080' } }),
      await w.cli(
        ['login', '--base-url', 'http://apigw.example.net', '--client-id', 'x', '--client-secret-stdin'],
        {
          input: 'not-a-real-secret\n',
        },
      ),
    ]) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/uses plain http:\/\/, which would send tokens unencrypted/);
    }
    expect((await requestLog(w.sandbox)).total).toBeLessThanOrEqual(3); // the login's own calls only (refresh, services v2, v1)
  });

  test.skipIf(!hasOpenssl())(
    'HTTPS through HTTPS_PROXY / HTTP_PROXY, NO_PROXY bypasses it, certificates always verified',
    async () => {
      const w = await world();
      const { root } = scratch();
      const certDir = join(root, 'certs');
      mkdirSync(certDir);
      const certs = makeCerts(certDir, ['central.test']);
      const front = await httpsFront(w.sandbox.url, certs);
      const proxy = await forwardProxy({ 'central.test': { host: '127.0.0.1', port: front.port } });
      const gateway = `https://central.test:${front.port}`;
      try {
        const via = (env: Record<string, string>) =>
          w.cli(['--base-url', gateway, 'services', '--refresh'], { env });
        const trusted = { NODE_EXTRA_CA_CERTS: certs.caFile };

        const through = async (env: Record<string, string>) => {
          const seen = proxy.connects.length;
          const result = await via(env);
          return { result, connects: proxy.connects.slice(seen) };
        };
        const tunnelled = [`central.test:${front.port}`];

        // HTTPS_PROXY: the CLI never resolves central.test itself; the proxy does.
        const before = (await requestLog(w.sandbox)).total;
        const https = await through({ ...trusted, HTTPS_PROXY: proxy.url });
        expect(https.result.code, https.result.stderr).toBe(0);
        expect(https.result.stdout).toContain('foundation_ap');
        expect(new Set(https.connects)).toEqual(new Set(tunnelled));
        expect((await requestLog(w.sandbox)).total).toBeGreaterThan(before);

        // HTTP_PROXY alone is used for https:// too; lower-case names work as well.
        for (const env of [{ HTTP_PROXY: proxy.url }, { https_proxy: proxy.url }] as Array<
          Record<string, string>
        >) {
          const run = await through({ ...trusted, ...env });
          expect(run.result.code, run.result.stderr).toBe(0);
          expect(new Set(run.connects)).toEqual(new Set(tunnelled));
        }

        // NO_PROXY: straight to central.test, which only the proxy can resolve.
        const bypass = await through({
          ...trusted,
          HTTPS_PROXY: proxy.url,
          NO_PROXY: 'localhost,central.test',
        });
        expect(bypass.result.code, bypass.result.stderr).toBe(6);
        expect(bypass.result.stderr).toMatch(/Cannot resolve central\.test/);
        expect(bypass.connects).toEqual([]);

        // Without the CA the certificate is not trusted, whatever NODE_TLS_REJECT_UNAUTHORIZED says.
        for (const env of [
          { HTTPS_PROXY: proxy.url },
          { HTTPS_PROXY: proxy.url, NODE_TLS_REJECT_UNAUTHORIZED: '0' },
        ] as Array<Record<string, string>>) {
          const untrusted = await via(env);
          expect(untrusted.code, untrusted.stderr).toBe(6);
          expect(untrusted.stderr).toMatch(/TLS certificate of central\.test not trusted/);
          expect(untrusted.stderr).toMatch(/NODE_EXTRA_CA_CERTS/);
        }

        // Plain http:// to a loopback name never goes through a proxy (tokens would leave the machine).
        const connects = proxy.connects.length;
        const local = await w.cli(
          ['--base-url', w.sandbox.url.replace('127.0.0.1', 'localhost'), 'services'],
          {
            env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
          },
        );
        expect(local.code, local.stderr).toBe(0);
        expect(proxy.connects).toHaveLength(connects);
      } finally {
        await proxy.close();
        await front.close();
      }
    },
  );
});
