import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';

let stdinLines: string[] | undefined;

/**
 * Secrets come from stdin, one per line, in the order the flags are listed in --help (so
 * `--client-secret-stdin --refresh-token-stdin` reads the secret from line 1, the token from line 2).
 */
export function readStdinLine(what: string): string {
  stdinLines ??= readFileSync(0, 'utf8').split(/\r?\n/);
  const line = stdinLines.shift()?.trim();
  if (!line) {
    throw new UsageError(`Expected ${what} on stdin, found nothing.`, {
      hint: `Pipe it in, e.g. printf '%s\\n' "$VALUE" | msp-license ...`,
    });
  }
  return line;
}

export function readStdinAll(): string {
  if (stdinLines) return stdinLines.splice(0).join('\n');
  stdinLines = [];
  return readFileSync(0, 'utf8');
}
