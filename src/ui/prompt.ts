// Prompts, only ever on a terminal (callers check io.interactive first). Ctrl-C at a prompt is an
// interruption (exit 130), not an empty answer; end of input (Ctrl-D) is an empty answer.
import { createInterface, type Interface } from 'node:readline';
import { InterruptedError } from '../errors.js';
import type { IO } from './io.js';
import { cleanOutput } from './sanitize.js';

export async function confirm(io: IO, question: string, defaultYes = false): Promise<boolean> {
  const answer = await ask(io, `${question} ${defaultYes ? '[Y/n]' : '[y/N]'} `);
  const a = answer.trim().toLowerCase();
  if (!a) return defaultYes;
  return a === 'y' || a === 'yes';
}

/** One answer from `rl`: the line, '' at end of input, InterruptedError on Ctrl-C. */
function answerOf(rl: Interface, done: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      done();
      fn();
    };
    rl.once('line', (line) => {
      settle(() => resolve(line));
      rl.close();
    });
    // readline turns Ctrl-C into this event on a terminal (no process SIGINT is raised).
    rl.once('SIGINT', () => {
      settle(() => reject(new InterruptedError('Interrupted at the prompt: nothing was sent.')));
      rl.close();
    });
    rl.once('close', () => settle(() => resolve('')));
  });
}

export function ask(io: IO, question: string): Promise<string> {
  const rl = createInterface({ input: io.streams.stdin, output: io.streams.stderr, terminal: true });
  rl.setPrompt(cleanOutput(question));
  rl.prompt();
  return answerOf(rl, () => {});
}

/** Reads a line without echoing it (client secret, password). */
export function askHidden(io: IO, question: string): Promise<string> {
  const output = io.streams.stderr;
  const stdin = io.streams.stdin;
  output.write(cleanOutput(question));
  const rl = createInterface({ input: stdin, output: undefined, terminal: true });
  stdin.setRawMode?.(true);
  return answerOf(rl, () => {
    stdin.setRawMode?.(false);
    output.write('\n');
  });
}
