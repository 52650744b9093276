// The sandbox in-process on 127.0.0.1:0, and its control endpoints (request log, state, faults).
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/server.js';

export type { Sandbox };

export interface LoggedRequest {
  t: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  tenant?: string;
  body?: unknown;
}

export interface RequestLog {
  total: number;
  counts: Record<string, number>;
  requests: LoggedRequest[];
}

export const JOB_PATH = '/platform/licensing/v1/msp/subscriptions/devices/all';

export function start(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, jobSpeed: 5000, ...options });
}

export async function requestLog(sandbox: Sandbox): Promise<RequestLog> {
  const res = await fetch(`${sandbox.url}/__sandbox/log`);
  return (await res.json()) as RequestLog;
}

export async function clearLog(sandbox: Sandbox): Promise<void> {
  await fetch(`${sandbox.url}/__sandbox/log`, { method: 'DELETE' });
}

/** Every POST/DELETE of the license job that reached the sandbox. */
export async function mutatingCalls(sandbox: Sandbox): Promise<LoggedRequest[]> {
  const log = await requestLog(sandbox);
  return log.requests.filter((r) => r.path === JOB_PATH && (r.method === 'POST' || r.method === 'DELETE'));
}

export async function sandboxState(sandbox: Sandbox, perCustomer = false): Promise<Record<string, any>> {
  const res = await fetch(`${sandbox.url}/__sandbox/state${perCustomer ? '?perCustomer=1' : ''}`);
  return (await res.json()) as Record<string, any>;
}

export async function setFaults(sandbox: Sandbox, faults: Record<string, unknown>): Promise<void> {
  await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

export async function control(
  sandbox: Sandbox,
  action: 'expire-tokens' | 'revoke-refresh' | 'tokens',
): Promise<any> {
  const res = await fetch(`${sandbox.url}/__sandbox/${action}`, { method: 'POST' });
  return res.json();
}
