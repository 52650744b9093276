// Runs the built CLI in a real pseudo-terminal (util-linux `script`), typing `input` into it.
import { spawn } from 'node:child_process';
import { BIN, baseEnv } from './cli.js';

export interface PtyResult {
  code: number | null;
  /** Everything the terminal showed (stdout and stderr together, with escapes). */
  screen: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function runInPty(
  configDir: string,
  args: string[],
  options: {
    input?: string[];
    env?: Record<string, string>;
    cols?: number;
    timeoutMs?: number;
    delayMs?: number;
    /** Redirect the CLI's stdout to this file (stderr stays on the terminal). */
    stdoutFile?: string;
  } = {},
): Promise<PtyResult> {
  const command = `stty cols ${options.cols ?? 100} rows 30; exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}${options.stdoutFile ? ` > ${quote(options.stdoutFile)}` : ''}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...baseEnv(configDir), TERM: 'xterm-256color', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d) => {
      screen += d;
    });
    child.stderr.on('data', (d) => {
      screen += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
    // Type each answer once the prompt had time to appear.
    const answers = [...(options.input ?? [])];
    const typeNext = () => {
      const answer = answers.shift();
      if (answer === undefined) return;
      child.stdin.write(answer);
      setTimeout(typeNext, options.delayMs ?? 700);
    };
    setTimeout(typeNext, options.delayMs ?? 1200);
  });
}

/** Strips ANSI escapes, for asserting on the text a person reads. */
export function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}
