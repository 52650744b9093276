import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "1h30m", "15s", "500ms", "2d"; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const input = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(input)) return Math.round(Number(input) * 1000);
  const parts = [...input.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (!parts.length || consumed !== input) {
    throw new UsageError(`${flag}: '${text}' is not a duration.`, { hint: 'Use e.g. 30s, 15m, 2h, 1h30m.' });
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0));
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
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
