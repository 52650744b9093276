import { UsageError } from '../errors.js';
import { count } from './text.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export interface Range {
  min?: number;
  max?: number;
}

/**
 * "30m", "1h30m", "15s", "500ms", "2d"; a bare number is seconds. With a range, a value outside
 * it is a usage error (exit 2) that names the accepted range. `flag` names where the text came
 * from (`--timeout`, or `MSP_LICENSE_REQUEST_TIMEOUT`).
 */
export function parseDuration(text: string, flag: string, range: Range = {}): number {
  const input = text.trim().toLowerCase();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(input)) ms = Math.round(Number(input) * 1000);
  else {
    const parts = [...input.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
    const consumed = parts.map((p) => p[0]).join('');
    if (!parts.length || consumed !== input) {
      throw new UsageError(`${flag}: '${text}' is not a duration.`, {
        hint: `Use e.g. 30s, 15m, 2h, 1h30m${rangeText(range, formatDuration) ? ` (${rangeText(range, formatDuration)})` : ''}.`,
      });
    }
    ms = Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0));
  }
  checkRange(ms, text, flag, range, formatDuration);
  return ms;
}

/** A whole number in a range (decimal digits only): `--chunk-size`, `--limit`, `--port`, ... */
export function parseInteger(text: string, flag: string, range: Range = {}): number {
  const input = text.trim();
  const n = /^[+-]?\d+$/.test(input) ? Number(input) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(`${flag}: '${text}' is not a whole number.`, {
      ...(rangeText(range, plain) ? { hint: `Use a whole number ${rangeText(range, plain)}.` } : {}),
    });
  }
  checkRange(n, text, flag, range, plain);
  return n;
}

const plain = count;

function rangeText(range: Range, format: (n: number) => string): string {
  if (range.min !== undefined && range.max !== undefined)
    return `from ${format(range.min)} to ${format(range.max)}`;
  if (range.min !== undefined) return `of at least ${format(range.min)}`;
  if (range.max !== undefined) return `of at most ${format(range.max)}`;
  return '';
}

function checkRange(
  value: number,
  text: string,
  flag: string,
  range: Range,
  format: (n: number) => string,
): void {
  if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
    throw new UsageError(`${flag}: '${text}' is out of range: use a value ${rangeText(range, format)}.`, {
      code: 'out_of_range',
    });
  }
}

/** A duration as the flags accept it: "45s", "2m30s", "1h5m", "3d4h"; under a second, "500ms". */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
}

/** "2026-11-01", an ISO time, or a duration ago ("7d", "12h"). */
export function parseSince(text: string, now = Date.now()): number {
  const iso = Date.parse(text);
  if (!Number.isNaN(iso) && /^\d{4}-\d{2}-\d{2}/.test(text)) return iso;
  try {
    return now - parseDuration(text, '--since');
  } catch {
    throw new UsageError(`--since: '${text}' is neither a date nor a duration.`, {
      hint: 'Use e.g. 2026-11-01 or 7d.',
    });
  }
}
