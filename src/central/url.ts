// Gateway URL validation. Only errors.ts is imported: the start-up path may load this.

import { UsageError } from '../errors.js';

/**
 * The one loopback test (base URLs, the proxy bypass, the sandbox's --host): a literal 127/8
 * address, `::1` (`[::1]` in a URL), or exactly `localhost`. Not `*.localhost`: such a name is
 * resolved by whatever DNS the network offers, and plain http:// would hand it the token.
 * `localhost` itself is checked again once resolved (see `isLoopbackAddress`).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return true;
  if (host === '[::1]' || host === '::1') return true;
  return isLoopbackV4(host);
}

function isLoopbackV4(host: string): boolean {
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!v4) return false;
  return v4.slice(1).every((part) => Number(part) <= 255);
}

/** A resolved address on this machine: 127/8, ::1, or 127/8 mapped into IPv6. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(a);
  return isLoopbackV4(mapped ? (mapped[1] as string) : a);
}

/**
 * Validate a gateway URL and normalise it (no trailing slash, no query or fragment).
 * `https://` is required, except plain `http://` to a loopback host (the local sandbox).
 */
export function checkBaseUrl(url: string): string {
  const raw = url.trim();
  if (raw === '') {
    throw new UsageError('The gateway URL is empty.', {
      hint: 'Pass --cluster NAME or --base-url https://... (see `msp-license login --help`).',
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UsageError(`The gateway URL "${raw}" is not a valid URL.`, {
      hint: 'Write it in full, e.g. https://apigw-prod2.central.arubanetworks.com, or pass --cluster NAME.',
    });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UsageError('The gateway URL must not contain a user name or password.', {
      hint: 'Give only the gateway address, e.g. https://apigw-prod2.central.arubanetworks.com.',
    });
  }
  if (parsed.protocol === 'http:') {
    if (!isLoopbackHost(parsed.hostname)) {
      throw new UsageError(
        `The gateway URL "${parsed.origin}" uses plain http://, which would send tokens unencrypted.`,
        {
          hint: 'Use https:// (plain http:// is allowed only to 127.0.0.1, [::1] or localhost, e.g. the local sandbox).',
        },
      );
    }
  } else if (parsed.protocol !== 'https:') {
    throw new UsageError(`The gateway URL "${raw}" must start with https://.`, {
      hint: 'Use https://<gateway>, e.g. https://apigw-prod2.central.arubanetworks.com, or pass --cluster NAME.',
    });
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new UsageError(`The gateway URL "${raw}" must not contain a query or fragment.`, {
      hint: 'Give only the gateway address, e.g. https://apigw-prod2.central.arubanetworks.com.',
    });
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.host}${path}`;
}
