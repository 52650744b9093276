// Progress display: an ora spinner on a terminal, one timestamped line per update otherwise.

import { vendor } from '../vendor.js';
import type { IO } from './io.js';
import { cleanOutput } from './sanitize.js';

export interface Progressor {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

export async function startProgress(io: IO, text: string): Promise<Progressor> {
  if (!io.spinner) {
    io.progress(text);
    return {
      update: (t) => io.progress(t),
      succeed: (t) => io.progress(t),
      fail: (t) => io.progress(t),
      stop: () => {},
    };
  }
  const { default: ora } = vendor<typeof import('ora')>('ora');
  // discardStdin off: Ctrl-C must reach our SIGINT handler, which stops the spinner and restores the cursor.
  const spinner = ora({
    text: cleanOutput(text),
    stream: io.streams.stderr,
    discardStdin: false,
    isEnabled: true,
  }).start();
  return {
    update: (t) => {
      spinner.text = cleanOutput(t);
    },
    succeed: (t) => {
      spinner.succeed(cleanOutput(t));
    },
    fail: (t) => {
      spinner.fail(cleanOutput(t));
    },
    stop: () => {
      if (spinner.isSpinning) spinner.stop();
    },
  };
}
