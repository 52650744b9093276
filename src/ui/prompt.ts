// Prompts, only ever on a terminal (callers check io.interactive first).
import { createInterface } from 'node:readline';
import type { IO } from './io.js';

export async function confirm(io: IO, question: string, defaultYes = false): Promise<boolean> {
  const answer = await ask(io, `${question} ${defaultYes ? '[Y/n]' : '[y/N]'} `);
  const a = answer.trim().toLowerCase();
  if (!a) return defaultYes;
  return a === 'y' || a === 'yes';
}

export function ask(io: IO, question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.streams.stdin, output: io.streams.stderr, terminal: true });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
    rl.on('close', () => {
      if (!answered) resolve('');
    });
  });
}

/** Reads a line without echoing it (client secret, password). */
export function askHidden(io: IO, question: string): Promise<string> {
  return new Promise((resolve) => {
    const output = io.streams.stderr;
    output.write(question);
    const rl = createInterface({ input: io.streams.stdin, output: undefined, terminal: true });
    const stdin = io.streams.stdin;
    let answered = false;
    stdin.setRawMode?.(true);
    rl.on('line', (line) => {
      answered = true;
      stdin.setRawMode?.(false);
      output.write('\n');
      rl.close();
      resolve(line);
    });
    rl.on('close', () => {
      stdin.setRawMode?.(false);
      if (!answered) resolve('');
    });
  });
}
