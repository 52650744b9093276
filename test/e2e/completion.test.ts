// Shell completion, end to end, in real shells: bash with bash-completion, zsh with compinit,
// fish. Each sources the script `msp-license completion <shell>` prints and completes command
// lines against the built CLI (an `msp-license` shim on PATH), with config and caches written
// here as files. The completion path must read only those files: a counting server stands in
// for the gateway and the proxy and must see no connection, and no heavy chunk may load.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'msp-license.js');
const dist = path.join(root, 'dist');

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const BASH_COMPLETION = ['/usr/share/bash-completion/bash_completion', '/etc/bash_completion'].find((file) =>
  fs.existsSync(file),
);

let tmp: string;
let configDir: string;
let emptyDir: string;
let server: net.Server;
let connections = 0;
let gateway: string;
const scripts: Record<string, string> = {};

// `§{` stands for `${` in the shell harnesses below (a template literal would eat it).
const shell = (text: string) => text.replaceAll('§{', '${');

/** Drives bash's completion function directly: COMP_* as bash sets them, COMPREPLY printed. */
const BASH_HARNESS = shell(String.raw`
source "$1"; source "$2"; shift 2
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=§{#COMP_LINE}
COMPREPLY=()
_msp_license msp-license "§{COMP_WORDS[COMP_CWORD]}" "§{COMP_WORDS[COMP_CWORD-1]}"
(( §{#COMPREPLY[@]} )) && printf '%s\n' "§{COMPREPLY[@]}"
exit 0
`);

/**
 * zsh completion only runs inside the line editor, so (after Valodim's zsh-capture-completion) a
 * pseudo-terminal runs an interactive zsh with compinit and the script under test, and TAB is
 * pressed. "list" mode wraps compadd to print each candidate (`value<TAB>description`) between two
 * NUL lines and exits; "insert" mode prints the edited line after TAB, to see the quoting zsh used.
 */
const ZSH_HARNESS = shell(String.raw`
zmodload zsh/zpty || exit 3
local setup=$ZC_TMP/setup.$$.zsh
cat > $setup <<'SETUP'
PROMPT=
RPROMPT=
autoload -U compinit && compinit -u -d $ZC_TMP/compdump.$$
bindkey '^M' undefined
bindkey '^J' undefined
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
zstyle ':completion:*' list-separator ''
zmodload zsh/zutil
source "$ZC_SCRIPT"
# type only once the line editor runs: keys sent earlier can be lost
zle-line-init () { echo -n - $'\x01zle-ready\x01' }
zle -N zle-line-init
SETUP
if [[ $ZC_MODE == list ]]; then
cat >> $setup <<'SETUP'
null-line () { echo -E - $'\0' }
compprefuncs=( null-line )
comppostfuncs=( null-line exit )
compadd () {
  if [[ §{@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return $?
  fi
  typeset -a __hits __dscr __tmp
  if (( $@[(I)-d] )); then
    __tmp=§{@[$[§{@[(i)-d]}+1]]}
    if [[ $__tmp == \(* ]]; then eval "__dscr=$__tmp"; else __dscr=( "§{(@P)__tmp}" ); fi
  fi
  builtin compadd -A __hits -D __dscr "$@"
  [[ -n $__hits ]] || return
  local i dscr
  for i in {1..$#__hits}; do
    (( $#__dscr >= i )) && dscr=$'\t'"§{§{__dscr[$i]}##$__hits[$i] #}" || dscr=
    echo -E - "$IPREFIX$__hits[$i]$dscr"
  done
}
SETUP
else
cat >> $setup <<'SETUP'
print-buffer () { echo -E - $'\0'"$BUFFER"$'\0'; exit }
zle -N print-buffer
bindkey '^X' print-buffer
SETUP
fi
zpty z zsh -f -i
local line out=
zpty -w z "source $setup"
zpty -r z line '*zle-ready*'
zpty -w -n z "$ZC_LINE"$'\t'
[[ $ZC_MODE == list ]] || zpty -w -n z $'\C-X'
while zpty -r z line; do out+=$line; done
rm -f $setup $ZC_TMP/compdump.$$
local -a parts
parts=( "§{(@ps:\0:)out}" )
(( $#parts >= 3 )) || { print -u2 -r -- "zsh-capture: completion did not run: $out"; exit 4 }
print -r -- "§{§{parts[2]}//$'\r'/}"
`);

function env(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base)) if (key.startsWith('MSP_LICENSE_')) delete base[key];
  return {
    ...base,
    PATH: `${path.join(tmp, 'bin')}${path.delimiter}${process.env.PATH}`,
    HOME: tmp,
    XDG_CONFIG_HOME: path.join(tmp, 'xdg'),
    TERM: 'xterm',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    MSP_LICENSE_CONFIG_DIR: dir,
    MSP_LICENSE_BASE_URL: gateway,
    HTTPS_PROXY: gateway,
    HTTP_PROXY: gateway,
    https_proxy: gateway,
    http_proxy: gateway,
    NO_COLOR: '1',
    ...extra,
  };
}

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

function run(file: string, args: string[], runEnv: NodeJS.ProcessEnv, timeout = 45_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: runEnv, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ stdout: String(stdout), stderr: String(stderr), code });
    });
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** bash: the words as typed (the last one is being completed) → COMPREPLY. */
async function bash(words: string[], dir = configDir, extra: Record<string, string> = {}): Promise<string[]> {
  const harness = path.join(tmp, 'bash-harness.sh');
  const result = await run(
    'bash',
    [
      '--norc',
      '--noprofile',
      harness,
      BASH_COMPLETION ?? '/dev/null',
      scripts.bash!,
      'msp-license',
      ...words,
    ],
    env(dir, extra),
  );
  expect(result.stderr).toBe('');
  return lines(result.stdout);
}

/** zsh, list mode: `value<TAB>description` per candidate (values as zsh holds them, unquoted). */
async function zsh(line: string, dir = configDir, mode: 'list' | 'insert' = 'list'): Promise<string[]> {
  const result = await run(
    'zsh',
    ['-f', path.join(tmp, 'zsh-capture.zsh')],
    env(dir, { ZC_TMP: tmp, ZC_SCRIPT: scripts.zsh!, ZC_LINE: line, ZC_MODE: mode }),
  );
  expect(result.code, result.stderr).toBe(0);
  return lines(result.stdout).map((entry) => entry.replace(/\s+$/, ''));
}

/** fish: `complete -C` prints `value<TAB>description`. */
async function fish(line: string, dir = configDir, extra: Record<string, string> = {}): Promise<string[]> {
  const result = await run(
    'fish',
    ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish!, line],
    env(dir, extra),
  );
  expect(result.stderr).toBe('');
  return lines(result.stdout);
}

const valuesOf = (entries: string[]) => entries.map((entry) => entry.split('\t')[0]!.replaceAll('\\ ', ' '));

function writeCache(dir: string, profile: string, name: string, data: unknown): void {
  const folder = path.join(dir, 'cache', profile);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, `${name}.json`),
    JSON.stringify({ fetchedAt: Date.now(), baseUrl: gateway, data }),
  );
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(dist, 'main.js')))
    throw new Error('dist/main.js is missing: run `npm run build` first');
  server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-license-completion-'));
  fs.mkdirSync(path.join(tmp, 'bin'));
  const shim = path.join(tmp, 'bin', 'msp-license');
  fs.writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(tmp, 'bash-harness.sh'), BASH_HARNESS);
  fs.writeFileSync(path.join(tmp, 'zsh-capture.zsh'), ZSH_HARNESS);

  configDir = path.join(tmp, 'config');
  emptyDir = path.join(tmp, 'empty');
  fs.mkdirSync(configDir);
  fs.mkdirSync(emptyDir);
  fs.writeFileSync(
    path.join(configDir, 'config.json'),
    JSON.stringify({
      defaultProfile: 'prod',
      profiles: {
        prod: { name: 'prod', baseUrl: gateway, cluster: 'eu-1', clientId: 'id' },
        lab: { name: 'lab', baseUrl: gateway, clientId: 'id' },
      },
    }),
  );
  writeCache(configDir, 'prod', 'services', [
    {
      name: 'foundation_ap',
      category: 'foundation',
      deviceType: 'IAP',
      displayName: 'Foundation AP',
      central: true,
    },
    { name: 'foundation_switch_6200', category: 'foundation', deviceType: 'SWITCH', central: true },
    { name: 'foundation_greenlake_only', category: 'foundation', central: false },
    { name: 'advanced_ap', category: 'advanced', deviceType: 'IAP', central: true },
    { name: 'advanced_switch_6300', category: 'advanced', deviceType: 'SWITCH', central: true },
  ]);
  writeCache(configDir, 'prod', 'customers', [
    { id: 'c7f3a1', name: 'Acme Dental', devices: 12 },
    { id: 'c7f3b2', name: 'Acme Logistics' },
    { id: 'd91e00', name: 'Beta Corp' },
  ]);
  writeCache(configDir, 'lab', 'services', [{ name: 'lab_only_service', central: true }]);

  for (const name of ['bash', 'zsh', 'fish']) {
    const result = await run(shim, ['completion', name], env(emptyDir));
    expect(result, `msp-license completion ${name}`).toMatchObject({ code: 0, stderr: '' });
    scripts[name] = path.join(tmp, `completion.${name}`);
    fs.writeFileSync(scripts[name]!, result.stdout);
  }
}, 120_000);

afterAll(async () => {
  // The completion path read files only: nothing ever dialled the gateway or the proxy.
  expect(connections).toBe(0);
  await new Promise((resolve) => server?.close(resolve));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('completion <shell>', () => {
  it('prints a script per shell and refuses an unknown shell with exit 2', async () => {
    expect(fs.readFileSync(scripts.bash!, 'utf8')).toContain('complete -F _msp_license msp-license');
    expect(fs.readFileSync(scripts.zsh!, 'utf8')).toMatch(/^#compdef msp-license/);
    expect(fs.readFileSync(scripts.fish!, 'utf8')).toContain('complete -c msp-license');
    const result = await run(process.execPath, [bin, 'completion', 'powershell'], env(emptyDir));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe.skipIf(!has('bash') || !BASH_COMPLETION)('bash (bash-completion)', () => {
  it('completes service names, also after a comma', async () => {
    expect(await bash(['assign', '--services', 'fou'])).toEqual(['foundation_ap', 'foundation_switch_6200']);
    expect(await bash(['assign', '--services', 'foundation_ap,adv'])).toEqual([
      'foundation_ap,advanced_ap',
      'foundation_ap,advanced_switch_6300',
    ]);
  });

  it('completes customers by id prefix and by name prefix, escaping spaces', async () => {
    expect(await bash(['assign', '--include', 'c7'])).toEqual(['c7f3a1', 'c7f3b2']);
    expect(await bash(['assign', '--include', 'Acme'])).toEqual(['Acme\\ Dental', 'Acme\\ Logistics']);
    expect(await bash(['assign', '--include', 'Acme\\ L'])).toEqual(['Acme\\ Logistics']);
    // inside an open quote, readline inserts the text as is and closes the quote
    expect(await bash(['assign', '--include', '"Acme L'])).toEqual(['Acme Logistics']);
    expect(await bash(['unassign', '--exclude', "d91e00,'Acme D"])).toEqual(['Acme Dental']);
  });

  it('completes commands, subcommands, profiles, shells and help topics', async () => {
    expect(await bash(['un'])).toEqual(['unassign']);
    expect(await bash(['auth', ''])).toEqual(expect.arrayContaining(['status', 'refresh']));
    expect(await bash(['profiles', ''])).toEqual(['use']);
    expect(await bash(['--profile', ''])).toEqual(['prod', 'lab']);
    expect(await bash(['-p', 'lab', 'assign', '--services', ''])).toEqual(['lab_only_service']);
    expect(await bash(['assign', '--services', ''], configDir, { MSP_LICENSE_PROFILE: 'lab' })).toEqual([
      'lab_only_service',
    ]);
    expect(await bash(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(await bash(['help', 'e'])).toEqual(['exit-codes', 'environment']);
    expect(await bash(['assign', '--dry'])).toEqual(['--dry-run']);
  });

  it('offers nothing for dynamic values before there is a config or a cache', async () => {
    expect(await bash(['assign', '--services', ''], emptyDir)).toEqual([]);
    expect(await bash(['assign', '--include', 'Ac'], emptyDir)).toEqual([]);
    expect(await bash(['--profile', ''], emptyDir)).toEqual([]);
  });
});

describe.skipIf(!has('zsh'))('zsh (compinit)', () => {
  it('completes service names, also after a comma, with descriptions', async () => {
    const [fou, comma] = await Promise.all([
      zsh('msp-license assign --services fou'),
      zsh('msp-license assign --services foundation_ap,adv'),
    ]);
    expect(fou).toEqual(['foundation_ap\tFoundation AP', 'foundation_switch_6200\tfoundation, SWITCH']);
    expect(valuesOf(comma)).toEqual(['foundation_ap,advanced_ap', 'foundation_ap,advanced_switch_6300']);
  }, 120_000);

  it('completes customers by id (described by name) and by name, quoting spaces on insertion', async () => {
    const [ids, names, escaped, quoted] = await Promise.all([
      zsh('msp-license assign --include c7'),
      zsh('msp-license assign --include Acme'),
      zsh('msp-license assign --include Acme\\ L', configDir, 'insert'),
      zsh('msp-license assign --include "Acme L', configDir, 'insert'),
    ]);
    expect(ids).toEqual(['c7f3a1\tAcme Dental', 'c7f3b2\tAcme Logistics']);
    expect(valuesOf(names)).toEqual(['Acme Dental', 'Acme Logistics']);
    expect(escaped).toEqual(['msp-license assign --include Acme\\ Logistics']);
    expect(quoted).toEqual(['msp-license assign --include "Acme Logistics"']);
  }, 120_000);

  it('completes commands and profiles', async () => {
    const [un, profiles, lab] = await Promise.all([
      zsh('msp-license un'),
      zsh('msp-license --profile '),
      zsh('msp-license -p lab assign --services '),
    ]);
    expect(valuesOf(un)).toEqual(['unassign']);
    expect(profiles).toEqual(['prod\teu-1 (default)', `lab\t${gateway}`]);
    expect(valuesOf(lab)).toEqual(['lab_only_service']);
  }, 120_000);

  it('offers nothing for dynamic values before there is a config or a cache', async () => {
    const results = await Promise.all([
      zsh('msp-license assign --services ', emptyDir),
      zsh('msp-license assign --include Ac', emptyDir),
      zsh('msp-license --profile ', emptyDir),
    ]);
    expect(results).toEqual([[], [], []]);
  }, 120_000);
});

describe.skipIf(!has('fish'))('fish', () => {
  it('completes service names, also after a comma, with descriptions', async () => {
    expect(await fish('msp-license assign --services fou')).toEqual([
      'foundation_ap\tFoundation AP',
      'foundation_switch_6200\tfoundation, SWITCH',
    ]);
    expect(valuesOf(await fish('msp-license assign --services foundation_ap,adv'))).toEqual([
      'foundation_ap,advanced_ap',
      'foundation_ap,advanced_switch_6300',
    ]);
  });

  it('completes customers by id (described by name) and by name, quoted or escaped', async () => {
    expect(await fish('msp-license assign --include c7')).toEqual([
      'c7f3a1\tAcme Dental',
      'c7f3b2\tAcme Logistics',
    ]);
    expect(await fish('msp-license assign --include Acme')).toEqual([
      'Acme Dental\tc7f3a1',
      'Acme Logistics\tc7f3b2',
    ]);
    expect(await fish('msp-license assign --include Acme\\ L')).toEqual(['Acme Logistics\tc7f3b2']);
    expect(await fish('msp-license assign --include "Acme L')).toEqual(['Acme Logistics\tc7f3b2']);
  });

  it('completes commands and profiles', async () => {
    expect(valuesOf(await fish('msp-license un'))).toEqual(['unassign']);
    expect(valuesOf(await fish('msp-license --profile ')).sort()).toEqual(['lab', 'prod']);
    expect(valuesOf(await fish('msp-license -p lab assign --services '))).toEqual(['lab_only_service']);
    expect(valuesOf(await fish('msp-license completion '))).toEqual(['bash', 'fish', 'zsh']);
  });

  it('offers nothing for dynamic values before there is a config or a cache', async () => {
    expect(await fish('msp-license assign --services ', emptyDir)).toEqual([]);
    expect(await fish('msp-license assign --include Ac', emptyDir)).toEqual([]);
    expect(await fish('msp-license --profile ', emptyDir)).toEqual([]);
  });
});

describe('__complete', () => {
  it('prints nothing, on no stream, and exits 0 when there is no config or cache yet', async () => {
    const missing = path.join(tmp, 'does-not-exist');
    for (const dir of [emptyDir, missing]) {
      for (const words of [
        ['assign', '--services', ''],
        ['assign', '--include', 'c'],
        ['--profile', ''],
        ['profiles', 'use', ''],
      ]) {
        const result = await run(process.execPath, [bin, '__complete', ...words], env(dir));
        expect(result, words.join(' ')).toEqual({ stdout: '', stderr: '', code: 0 });
      }
    }
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('prints nothing and exits 0 when the config and caches are corrupt', async () => {
    const dir = path.join(tmp, 'corrupt');
    fs.mkdirSync(path.join(dir, 'cache', 'prod'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), '{"defaultProfile": "prod", "profiles": {');
    fs.writeFileSync(path.join(dir, 'cache', 'prod', 'services.json'), '[[[');
    const result = await run(process.execPath, [bin, '__complete', 'assign', '--services', ''], env(dir));
    expect(result).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('loads no heavy module and makes no network call', async () => {
    // Which dist files a run loads: ES modules from a resolve hook, CommonJS ones (the launcher
    // requires dist/complete.cjs) from require.cache when the process exits.
    const log = path.join(tmp, 'loaded.txt');
    const hooks = path.join(tmp, 'hooks.mjs');
    const register = path.join(tmp, 'register.mjs');
    const cjsLog = path.join(tmp, 'required.cjs');
    fs.writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LOAD_LOG, result.url + '\\n');
  return result;
}
`,
    );
    fs.writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
    );
    fs.writeFileSync(
      cjsLog,
      `process.on('exit', () => require('node:fs').appendFileSync(process.env.LOAD_LOG, Object.keys(require.cache).map((f) => 'file://' + f).join('\\n') + '\\n'));\n`,
    );
    const result = await run(
      process.execPath,
      [
        '--require',
        cjsLog,
        '--import',
        `file://${register}`,
        bin,
        '__complete',
        'assign',
        '--services',
        'fou',
      ],
      env(configDir, { LOAD_LOG: log }),
    );
    expect(result).toEqual({
      stdout: 'foundation_ap\tFoundation AP\nfoundation_switch_6200\tfoundation, SWITCH\n',
      stderr: '',
      code: 0,
    });

    const loaded = lines(fs.readFileSync(log, 'utf8'))
      .filter((url) => url.startsWith('file:'))
      .map((url) => fileURLToPath(url))
      .filter((file) => file.startsWith(dist));
    expect(loaded.map((file) => path.relative(dist, file))).toContain('complete.cjs');
    // Not even commander: the launcher never reaches the CLI's entry.
    expect(loaded.map((file) => path.relative(dist, file))).not.toContain('cli.js');
    // Strings that survive minification, one per heavy dependency.
    const heavy: Record<string, RegExp> = {
      undici: /UND_ERR_CONNECT_TIMEOUT/,
      zod: /ZodError/,
      conf: /Config schema violation|projectSuffix/,
      ora: /cli-spinners/,
      chalk: /IS_EMPTY/,
    };
    const everything = fs
      .readdirSync(path.join(dist, 'chunks'))
      .map((name) => fs.readFileSync(path.join(dist, 'chunks', name), 'utf8'))
      .join('\n');
    for (const [name, marker] of Object.entries(heavy)) {
      // the marker is real: the bundle does hold that dependency somewhere
      expect(marker.test(everything), `${name} is in dist/chunks`).toBe(true);
      for (const file of loaded) {
        expect(marker.test(fs.readFileSync(file, 'utf8')), `${path.relative(root, file)} holds ${name}`).toBe(
          false,
        );
      }
    }
  });
});
