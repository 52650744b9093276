import { describe, expect, it } from 'vitest';
import { runSandboxForeground } from '../../src/sandbox/main.js';

describe('runSandboxForeground', () => {
  it('prints one JSON line that works, and stops on abort', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const done = runSandboxForeground(
      { customers: 3, devices: 12, mspDevices: 2 },
      { json: true, write: (l) => lines.push(l), signal: stop.signal },
    );
    while (lines.length === 0) await new Promise((r) => setTimeout(r, 10));
    const info = JSON.parse(lines[0]!);
    expect(Object.keys(info).sort()).toEqual(
      [
        'accessToken',
        'clientId',
        'clientSecret',
        'customers',
        'devices',
        'expiresIn',
        'port',
        'refreshToken',
        'url',
      ].sort(),
    );
    expect(info).toMatchObject({ customers: 3, devices: 14, expiresIn: 7200 });
    const r = await fetch(`${info.url}/msp_api/v1/customers`, {
      headers: { Authorization: `Bearer ${info.accessToken}` },
    });
    expect((await r.json()).total).toBe(3);
    stop.abort();
    await done;
    await expect(fetch(`${info.url}/msp_api/v1/customers`)).rejects.toThrow();
  });

  it('prints a human summary and stops on SIGTERM', async () => {
    const lines: string[] = [];
    const done = runSandboxForeground(
      { customers: 2, devices: 4 },
      { json: false, write: (l) => lines.push(l) },
    );
    while (lines.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(lines[0]).toMatch(/^Sandbox Central listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('\n')).toContain('2 customers');
    process.emit('SIGTERM');
    await done;
  });
});
