// Small HTTP helpers: replies as values, body reading, Central's error shapes.

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string | string[]>;
}

export function json(status: number, body: unknown, headers?: Record<string, string | string[]>): Reply {
  return headers ? { status, json: body, headers } : { status, json: body };
}

/** Central's most common API error body. */
export function centralError(status: number, description: string, serviceName = 'licensing'): Reply {
  const code = status === 404 ? '0404' : '0001';
  return json(status, { description, error_code: code, service_name: serviceName });
}

export function oauthError(status: number, error: string, description: string): Reply {
  return json(status, { error, error_description: description });
}

export const invalidToken = (): Reply => oauthError(401, 'invalid_token', 'Access token expired or invalid');

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; raw: string };

/** JSON if it parses; an empty body is `undefined`. */
export function parseJson(raw: string): ParsedBody {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, raw };
  }
}

export function send(res: ServerResponse, reply: Reply, extra: Record<string, string> = {}): void {
  const headers: Record<string, string | string[]> = { ...extra, ...reply.headers };
  let payload: string;
  if (reply.text !== undefined) {
    headers['Content-Type'] = 'text/plain';
    payload = reply.text;
  } else {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(reply.json ?? {});
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = v;
  return out;
}

/** A non-negative integer query parameter; `null` when present but not a number. */
export function intParam(params: URLSearchParams, name: string, fallback: number): number | null {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) return null;
  return n;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
