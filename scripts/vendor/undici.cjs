'use strict';
// The part of undici msp-license uses (src/central/http.ts): Agent, EnvHttpProxyAgent and request,
// as undici's own index.js builds them, without the rest of it (fetch, WebSocket, mocks, caches):
// its index loads them all, and its cookie module's look at globalThis.Headers loads Node's own
// copy of undici too. The build bundles this file into dist/chunks/undici.cjs.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const Agent = require('undici/lib/dispatcher/agent');
const EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent');
const util = require('undici/lib/core/util');
const { InvalidArgumentError } = require('undici/lib/core/errors');
const api = require('undici/lib/api');
const { getGlobalDispatcher } = require('undici/lib/global');

Object.assign(Dispatcher.prototype, api);

// undici/index.js's makeDispatcher, verbatim (undici 7.30.2, MIT).
function makeDispatcher(fn) {
  return (url, opts, handler) => {
    if (typeof opts === 'function') {
      handler = opts;
      opts = null;
    }

    if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
      throw new InvalidArgumentError('invalid url');
    }

    if (opts != null && typeof opts !== 'object') {
      throw new InvalidArgumentError('invalid opts');
    }

    if (opts && opts.path != null) {
      if (typeof opts.path !== 'string') {
        throw new InvalidArgumentError('invalid opts.path');
      }

      let path = opts.path;
      if (!opts.path.startsWith('/')) {
        path = `/${path}`;
      }

      url = new URL(util.parseOrigin(url).origin + path);
    } else {
      if (!opts) {
        opts = typeof url === 'object' ? url : {};
      }

      url = util.parseURL(url);
    }

    const { agent, dispatcher = getGlobalDispatcher() } = opts;

    if (agent) {
      throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
    }

    return fn.call(
      dispatcher,
      {
        ...opts,
        origin: url.origin,
        path: url.search ? `${url.pathname}${url.search}` : url.pathname,
        method: opts.method || (opts.body ? 'PUT' : 'GET'),
      },
      handler,
    );
  };
}

module.exports = { Agent, EnvHttpProxyAgent, request: makeDispatcher(api.request) };
