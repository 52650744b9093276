// The hidden `__complete <words...>` callback the shell scripts call (cobra's design). It prints
// candidates one a line (`value\tdescription`) and, when the shell should do something other than
// "no file names", a final `:<directive>` line. It reads only local files, never the network,
// never prompts, and swallows every error: a broken completion must print nothing and exit 0.
// Imports: Node built-ins, src/config/{paths,cache}, src/central/clusters and this folder only.
import fs from 'node:fs';
import type { Command } from 'commander';
import { createCompletionData } from './data.js';
import { completeWords, formatCompletion } from './engine.js';
import { type CommandSpec, specFromCommander } from './spec.js';

/**
 * The words to complete, straight from argv: commander would otherwise eat the program's own
 * options among them (`msp-license -p <TAB>` must see `-p`), and drop `--`.
 */
export function wordsFromArgv(argv: string[], fallback: string[] = []): string[] {
  const at = argv.indexOf('__complete');
  return at === -1 ? fallback : argv.slice(at + 1);
}

/**
 * Straight to fd 1: touching process.stdout would set up a stream (net, tty) for one write, a
 * measurable share of a TAB. The shell's pipe is blocking; EAGAIN is retried all the same.
 */
function writeStdout(text: string): void {
  const buffer = Buffer.from(text);
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(1, buffer, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

/** Completes `words` against `spec`; writes the answer to `write`. Never throws. */
export function completeWithSpec(
  spec: CommandSpec,
  words: string[],
  env: NodeJS.ProcessEnv = process.env,
  write: (text: string) => void = writeStdout,
): void {
  try {
    const output = formatCompletion(
      completeWords(spec, words.length ? words : [''], createCompletionData(env)),
    );
    if (output) write(output);
  } catch {
    // completion is best effort: print nothing rather than an error in the user's prompt
  }
}

/** The `__complete` action, given the built commander tree. */
export async function complete(program: Command, words: string[]): Promise<void> {
  let spec: CommandSpec;
  try {
    spec = specFromCommander(program);
  } catch {
    return;
  }
  completeWithSpec(spec, wordsFromArgv(process.argv, words));
}
