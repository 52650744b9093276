// The OAuth endpoints: token (refresh / authorization code) and the username/password login.

import type { Ctx } from './context.js';
import { cookies, header, json, oauthError, type Reply } from './http.js';

const LOGIN = '/oauth2/authorize/central/api/login';
const AUTHORIZE = '/oauth2/authorize/central/api';
const TOKEN = '/oauth2/token';

export function isOAuthPath(path: string): boolean {
  return path === TOKEN || path === LOGIN || path === AUTHORIZE;
}

export function handleOAuth(ctx: Ctx): Reply {
  if (ctx.method !== 'POST') return oauthError(405, 'invalid_request', 'Method not allowed');
  if (ctx.path === TOKEN) return token(ctx);
  if (ctx.path === LOGIN) return login(ctx);
  return authorize(ctx);
}

/** Query parameters, overridden by a JSON or form body. */
function tokenParams(ctx: Ctx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of ctx.query) out[k] = v;
  if (ctx.body.ok && ctx.body.value && typeof ctx.body.value === 'object') {
    for (const [k, v] of Object.entries(ctx.body.value as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    }
  } else if (ctx.rawBody.includes('=')) {
    for (const [k, v] of new URLSearchParams(ctx.rawBody)) out[k] = v;
  }
  return out;
}

function token(ctx: Ctx): Reply {
  const auth = ctx.world.auth;
  const p = tokenParams(ctx);
  if (!auth.checkClient(p.client_id, p.client_secret)) {
    return oauthError(401, 'invalid_client', 'Invalid client credentials');
  }
  if (p.grant_type === 'refresh_token') {
    const pair = p.refresh_token ? auth.refresh(p.refresh_token) : null;
    return pair ? json(200, pair) : oauthError(400, 'invalid_grant', 'Invalid refresh_token');
  }
  if (p.grant_type === 'authorization_code') {
    if (!p.code || !auth.redeemCode(p.code))
      return oauthError(400, 'invalid_grant', 'Invalid authorization code');
    return json(200, auth.mint());
  }
  return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
}

function bodyObject(ctx: Ctx): Record<string, unknown> {
  const v = ctx.body.ok ? ctx.body.value : undefined;
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function login(ctx: Ctx): Reply {
  const auth = ctx.world.auth;
  if (ctx.query.get('client_id') !== auth.config.clientId) {
    return oauthError(401, 'invalid_client', 'Invalid client_id');
  }
  const b = bodyObject(ctx);
  const session = auth.login(b.username, b.password);
  if (!session) return json(401, { status: false, message: 'Invalid username or password' });
  return json(
    200,
    { extra: { message: 'login successful' }, status: true },
    {
      'Set-Cookie': [
        `csrftoken=${session.csrf}; Path=/; Secure`,
        `session=${session.session}; Path=/; Secure; HttpOnly`,
      ],
    },
  );
}

function authorize(ctx: Ctx): Reply {
  const auth = ctx.world.auth;
  if (ctx.query.get('client_id') !== auth.config.clientId) {
    return oauthError(401, 'invalid_client', 'Invalid client_id');
  }
  if (ctx.query.get('response_type') !== 'code') {
    return oauthError(400, 'unsupported_response_type', 'response_type must be code');
  }
  if (!auth.sessionValid(cookies(ctx.req).session, header(ctx.req, 'x-csrf-token'))) {
    return json(401, { message: 'Invalid session or CSRF token' });
  }
  if (bodyObject(ctx).customer_id !== auth.config.customerId) {
    return json(400, { message: 'Invalid customer_id' });
  }
  return json(200, { auth_code: auth.issueCode() });
}
