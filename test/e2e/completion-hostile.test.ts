// Issue 11, finding 2 (and 3 for candidates): customer names come from a server, through the
// cache, into the command line. In real shells in a pseudo-terminal (util-linux `script`), TAB
// completes a hostile cached name inside an open quote and Enter runs the line: nothing the name
// holds may run. The names: a command substitution, a quote that would close the open one, and
// terminal escapes.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'msp-license.js');
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const BASH_COMPLETION = ['/usr/share/bash-completion/bash_completion', '/etc/bash_completion'].find((file) =>
  fs.existsSync(file),
);

let tmp: string;
let configDir: string;
const scripts: Record<string, string> = {};
const pwned = (tag: string) => path.join(tmp, `pwned-${tag}`);

function env(): NodeJS.ProcessEnv {
  return {
    PATH: `${path.join(tmp, 'bin')}${path.delimiter}${process.env.PATH}`,
    HOME: tmp,
    TERM: 'xterm',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    MSP_LICENSE_CONFIG_DIR: configDir,
    NO_COLOR: '1',
  };
}

/** Runs `command` (an interactive shell) in a pseudo-terminal and types `keys`, one step at a time. */
function typeInPty(command: string, keys: string[], stepMs = 1500): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `stty cols 200 rows 30; ${command}`, '/dev/null'], {
      env: env(),
      cwd: tmp,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d) => {
      screen += d;
    });
    child.stderr.on('data', (d) => {
      screen += d;
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(kill);
      resolve(screen);
    });
    const queue = [...keys];
    const next = () => {
      const key = queue.shift();
      if (key === undefined) return;
      child.stdin.write(key);
      setTimeout(next, stepMs);
    };
    setTimeout(next, stepMs);
  });
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-license-hostile-completion-'));
  fs.mkdirSync(path.join(tmp, 'bin'));
  fs.writeFileSync(
    path.join(tmp, 'bin', 'msp-license'),
    `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`,
    {
      mode: 0o755,
    },
  );
  configDir = path.join(tmp, 'config');
  fs.mkdirSync(path.join(configDir, 'cache', 'prod'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(
    path.join(configDir, 'config.json'),
    JSON.stringify({
      defaultProfile: 'prod',
      profiles: { prod: { baseUrl: 'http://127.0.0.1:9', clientId: 'id' } },
    }),
    { mode: 0o600 },
  );
  fs.writeFileSync(
    path.join(configDir, 'cache', 'prod', 'customers.json'),
    JSON.stringify({
      fetchedAt: Date.now(),
      baseUrl: 'http://127.0.0.1:9',
      data: [
        { id: 'c1', name: `Acme $(touch ${pwned('dollar')}) \`touch ${pwned('backtick')}\`` },
        { id: 'c2', name: `Bravo'; touch ${pwned('squote')}; '` },
        { id: 'c3', name: 'Charlie\u001b]0;owned\u0007\u001b[2J' },
      ],
    }),
    { mode: 0o600 },
  );
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = spawnSync(process.execPath, [bin, 'completion', shell], { env: env(), encoding: 'utf8' });
    scripts[shell] = path.join(tmp, `completion.${shell}`);
    fs.writeFileSync(scripts[shell] as string, result.stdout);
  }
});

beforeEach(() => {
  for (const tag of ['dollar', 'backtick', 'squote']) fs.rmSync(pwned(tag), { force: true });
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const nothingRan = () => {
  for (const tag of ['dollar', 'backtick', 'squote']) expect(fs.existsSync(pwned(tag)), tag).toBe(false);
};

describe.skipIf(!has('bash') || !BASH_COMPLETION)('bash in a pseudo-terminal', () => {
  it('TAB inside an open " escapes $ and ` of a cached name; Enter runs nothing of it', async () => {
    const screen = await typeInPty('bash --norc --noprofile -i', [
      `source ${BASH_COMPLETION}; source ${scripts.bash}; PS1='$ '\r`,
      'msp-license assign --include "Acm\t',
      '; echo "[$((6 * 7))]"; exit\r',
    ]);
    expect(screen).toContain('[42]');
    expect(screen).toContain('"Acme \\$(touch');
    nothingRan();
  }, 60_000);

  it("TAB inside an open ' leaves out a name holding a '", async () => {
    const screen = await typeInPty('bash --norc --noprofile -i', [
      `source ${BASH_COMPLETION}; source ${scripts.bash}; PS1='$ '\r`,
      "msp-license assign --include 'Bra\t",
      '\'; echo "[$((6 * 7))]"; exit\r',
    ]);
    expect(screen).toContain('[42]');
    expect(screen).not.toContain('Bravo');
    nothingRan();
  }, 60_000);

  it('a name with terminal escapes reaches the terminal neutralised', async () => {
    const screen = await typeInPty('bash --norc --noprofile -i', [
      `source ${BASH_COMPLETION}; source ${scripts.bash}; PS1='$ '\r`,
      'msp-license assign --include "Cha\t',
      '\t',
      '\u0003',
      'echo "[$((6 * 7))]"; exit\r',
    ]);
    expect(screen).toContain('[42]');
    expect(screen).not.toContain('\u001b]0;owned');
    expect(screen).not.toContain('\u001b[2J');
  }, 60_000);
});

describe.skipIf(!has('zsh'))('zsh in a pseudo-terminal', () => {
  it('TAB inside an open " and Enter run nothing of a cached name', async () => {
    const screen = await typeInPty('zsh -f -i', [
      `autoload -U compinit && compinit -u -d ${tmp}/zcompdump; source ${scripts.zsh}; PS1='$ '\r`,
      'msp-license assign --include "Acm\t',
      '; echo "[$((6 * 7))]"; exit\r',
    ]);
    expect(screen).toContain('[42]');
    expect(screen).not.toContain('\u001b]0;owned');
    // The candidate was inserted (the typed text holds no 'touch'), and nothing of it ran.
    expect(screen).toContain('touch');
    nothingRan();
  }, 60_000);
});

describe.skipIf(!has('fish'))('fish in a pseudo-terminal', () => {
  it('TAB inside an open " and Enter run nothing of a cached name', async () => {
    const screen = await typeInPty('fish --no-config -i', [
      `source ${scripts.fish}\r`,
      'msp-license assign --include "Acm\t',
      '; echo "["(math 6 \'*\' 7)"]"; exit\r',
    ]);
    expect(screen).toContain('[42]');
    expect(screen).not.toContain('\u001b]0;owned');
    // The candidate was inserted (the typed text holds no 'touch'), and nothing of it ran.
    expect(screen).toContain('touch');
    nothingRan();
  }, 60_000);
});

describe('candidate lists shown by the shell (ids described by their names)', () => {
  const shells: Array<[string, boolean, string, string[], string]> = [
    [
      'zsh',
      has('zsh'),
      'zsh -f -i',
      [`autoload -U compinit && compinit -u -d ${'$HOME'}/zcompdump2; source §zsh; PS1='$ '\r`],
      'echo "[$((6 * 7))]"; exit\r',
    ],
    ['fish', has('fish'), 'fish --no-config -i', ['source §fish\r'], `echo "["(math 6 '*' 7)"]"; exit\r`],
  ];
  for (const [name, available, command, setup, marker] of shells) {
    it.skipIf(!available)(
      `${name}: a name with terminal escapes is listed neutralised`,
      async () => {
        const screen = await typeInPty(command, [
          ...setup.map((line) => line.replace(/§(\w+)/, (_m, shell: string) => scripts[shell] as string)),
          'msp-license assign --include c\t',
          '\t',
          '\u0003',
          marker,
        ]);
        expect(screen).toContain('[42]');
        expect(screen).toContain('Charlie');
        expect(screen).not.toContain('\u001b]0;owned');
        expect(screen).not.toContain('\u001b[2J');
      },
      60_000,
    );
  }
});
