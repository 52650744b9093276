// The commander tree and nothing else: every action import()s its command, so --help, --version
// and completion load commander alone (undici, zod, ora and conf live in lazily loaded chunks).
import { Command, CommanderError, Option } from 'commander';
import { CliError, commanderUsageError, ExitCode } from './errors.js';
import {
  applyFlags,
  assignFlags,
  authStatusFlags,
  autolicenseDisableFlags,
  autolicenseEnableFlags,
  autolicenseStatusFlags,
  customersFlags,
  doctorFlags,
  type GlobalOptions,
  globalFlags,
  globalOptions,
  historyFlags,
  loginFlags,
  logoutFlags,
  planFlags,
  sandboxFlags,
  servicesFlags,
  statusFlags,
  unassignFlags,
} from './flags.js';
import { HELP_TOPIC_LIST } from './help-topic-names.js';
import { type FlagSet, parseFlags } from './options.js';
import { QUICK_COMMANDS, type QuickCommand } from './quick-commands.js';
import { exitQuietlyOnClosedPipe, flushed, std } from './ui/std.js';

/**
 * The cache writer, companions included (for the build's code-cache warm-up, which writes the
 * customers cache as a fetch would, so that `customers` warms the table-file path it serves).
 */
export { writeCache } from './config/cache.js';
/** Where the CLI writes (for the build's help templates and the tests that read help at a width). */
export { std };

declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

type Loader = () => Promise<{ run: (ctx: never, options: never, ...args: never[]) => Promise<unknown> }>;

export type Dispatcher = (load: Loader, command: Command, args: unknown[], flags: FlagSet) => Promise<void>;

/**
 * What a command is handed: the global options (parsed now: text and switches only) and its own
 * options, parsed when called (inside the runtime's error handling: a bad value is exit 2).
 */
export function invocation(
  command: Command,
  flags: FlagSet,
): { globals: GlobalOptions; options: () => unknown } {
  const root = rootOf(command);
  const sourceOf = (c: Command) => (key: string) => c.getOptionValueSource(key);
  const globals = globalOptions(root.opts(), sourceOf(root));
  return { globals, options: () => parseFlags(flags, command.opts(), sourceOf(command)) };
}

/** Adds the flags to a commander command, in order. */
export function addFlags(command: Command, set: FlagSet): Command {
  for (const [key, def] of Object.entries(set)) {
    const option = new Option(def.flags, def.description);
    // The key is the name commander stores the value under; a mismatch would read nothing.
    if (option.attributeName() !== key) throw new Error(`flag ${def.flags} keyed as '${key}'`);
    if (def.collect) option.argParser(def.collect as (value: string, previous: unknown) => unknown);
    if (def.fallback !== undefined) option.default(def.fallback);
    if (def.env) option.env(def.env);
    command.addOption(option);
  }
  return command;
}

/** Runs one command: its flags and the global ones parsed (typed), a context built, then hands over. */
let dispatcher: Dispatcher = async (load, command, args, flags) => {
  const { runCommand } = await import('./runtime.js');
  const { globals, options } = invocation(command, flags);
  await runCommand(load, globals, options, args);
};

function rootOf(command: Command): Command {
  let c = command;
  while (c.parent) c = c.parent;
  return c;
}

/** The wiring test replaces how actions run, to see what argv turns into. */
export function setDispatcher(replacement: Dispatcher): void {
  dispatcher = replacement;
}

function dispatch(load: Loader, command: Command, flags: FlagSet, args: unknown[] = []): Promise<void> {
  return dispatcher(load, command, args, flags);
}

/** A command the quick lane runs too (quick-commands.ts): the same flags and module. */
function run(entry: QuickCommand, command: Command, args: unknown[] = []): Promise<void> {
  return dispatcher(entry.load, command, args, entry.flags);
}

const examples = (lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

function jobCommand(program: Command, verb: 'assign' | 'unassign'): Command {
  const flags = verb === 'assign' ? assignFlags : unassignFlags;
  return addFlags(
    program
      .command(verb)
      .description(
        verb === 'assign'
          ? 'assign service licenses to all devices of the chosen customers'
          : 'remove service licenses from all devices of the chosen customers',
      ),
    flags,
  )
    .addHelpText(
      'after',
      verb === 'assign'
        ? examples([
            'msp-license assign --services foundation_ap --exclude c1,c2',
            'msp-license assign -s foundation_ap,advanced_switch_6300 --include "Acme Dental" --dry-run',
            'msp-license assign -s foundation_ap --all-customers --yes --wait --timeout 1h',
          ])
        : examples([
            'msp-license unassign --services foundation_ap --include c1 --yes',
            'msp-license unassign -s advanced_ap --exclude-file keep.txt --yes --wait',
          ]),
    )
    .action((_options, cmd: Command) => run(QUICK_COMMANDS[verb], cmd));
}

export function buildProgram(): Command {
  const program: Command = new Command('msp-license')
    .description('Assign Aruba Central service licenses to the devices of an MSP’s tenant customers.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Wrap descriptions on narrow terminals too (commander gives up below 40 columns of them);
    // set before the subcommands are added, which inherit it.
    .configureHelp({ minWidthToWrap: 16 });
  addFlags(program, globalFlags)
    .showSuggestionAfterError(true)
    .helpCommand(false)
    .addHelpText(
      'after',
      `\nHelp topics: msp-license help exit-codes | environment | cron\n${examples([
        'msp-license sandbox --write-profile            # a simulated Central to try things on',
        'msp-license --profile sandbox assign --services foundation_ap --exclude c1,c2 --wait',
      ])}`,
    );

  const login = program
    .command('login')
    .description('store credentials in a profile (interactive on a terminal)');
  addFlags(login, loginFlags)
    .addHelpText(
      'after',
      examples([
        'msp-license login                                    # on a terminal: asks for everything',
        'printf %s "$SECRET" | msp-license login -p prod --cluster eu-1 --client-id ID --client-secret-stdin --token-file token.json',
      ]),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/login.js'), cmd, loginFlags));

  addFlags(
    program.command('logout').description("forget a profile's secrets (keeps its gateway and client id)"),
    logoutFlags,
  )
    .addHelpText(
      'after',
      examples(['msp-license logout --profile old-lab', 'msp-license logout --profile old-lab --remove']),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/logout.js'), cmd, logoutFlags));

  const auth = program
    .command('auth')
    .description('credentials: status and keep-alive')
    .addHelpText('after', examples(['msp-license auth status', 'msp-license auth refresh --quiet']));
  addFlags(
    auth
      .command('status')
      .description('who am I, which gateway, token expiry, refresh-token age (exit 4 when they do not work)'),
    authStatusFlags,
  )
    .addHelpText(
      'after',
      `
Verifies with one cheap call (refreshing first when the access token has expired); exit 4 when
the credentials do not work. A revoked refresh token shows only once the access token has
expired: 'msp-license auth refresh' tests it for real (and rotates it).
${examples([
  'msp-license auth status',
  'msp-license auth status --json --profile prod   # for monitoring: exit 4 = alert',
  'msp-license auth status --offline               # no network: token ages only',
])}`,
    )
    .action((_o, cmd: Command) => run(QUICK_COMMANDS['auth status'], cmd));
  auth
    .command('refresh')
    .description('refresh the tokens now (cron keep-alive: refresh tokens die after 15 days unused)')
    .addHelpText('after', examples(['msp-license auth refresh --profile prod --quiet   # weekly, from cron']))
    .action((_o, cmd: Command) => dispatch(() => import('./commands/auth-refresh.js'), cmd, {}));

  const profiles = program
    .command('profiles')
    .description('list profiles; mark the default; refresh-token age')
    .addHelpText(
      'after',
      examples(['msp-license profiles', 'msp-license profiles use prod', 'msp-license profiles --json']),
    )
    .action((_o, cmd: Command) => run(QUICK_COMMANDS.profiles, cmd));
  profiles
    .command('use <name>')
    .description('make a profile the default')
    .addHelpText('after', examples(['msp-license profiles use prod']))
    .action((name: string, _o, cmd: Command) =>
      dispatch(() => import('./commands/profiles.js'), cmd, {}, ['use', name]),
    );

  addFlags(
    program.command('services').description('list the licensable services (cached; --refresh)'),
    servicesFlags,
  )
    .addHelpText('after', examples(['msp-license services', 'msp-license services --refresh --json']))
    .action((_o, cmd: Command) => run(QUICK_COMMANDS.services, cmd));

  addFlags(
    program.command('customers').description('list tenant customers (cached; --refresh, --search TEXT)'),
    customersFlags,
  )
    .addHelpText(
      'after',
      examples(['msp-license customers --search dental', 'msp-license customers --refresh --json']),
    )
    .action((_o, cmd: Command) => run(QUICK_COMMANDS.customers, cmd));

  jobCommand(program, 'assign');
  jobCommand(program, 'unassign');

  addFlags(
    program
      .command('status')
      .description('license coverage of a scope: devices licensed / eligible, per service and customer'),
    statusFlags,
  )
    .addHelpText('after', examples(['msp-license status --services foundation_ap --all-customers']))
    .action((_o, cmd: Command) => dispatch(() => import('./commands/status.js'), cmd, statusFlags));

  addFlags(
    program.command('history').description('the local audit log of every assign/unassign this machine sent'),
    historyFlags,
  )
    .addHelpText(
      'after',
      `
Filters: --since, --limit, and --profile (or MSP_LICENSE_PROFILE): only that profile's entries.
Outcomes: done, settled, accepted (sent without --wait, or sent but the wait failed: see its
error line), stalled, timeout, interrupted, failed (a request failed; its requests say which were
accepted); unknown = no result recorded (still running, or the process was killed).
${examples([
  'msp-license history --since 7d',
  'msp-license history --profile prod --since 2026-11-01',
  'msp-license history --json --limit 100',
])}`,
    )
    .action((_o, cmd: Command) => run(QUICK_COMMANDS.history, cmd));

  program
    .command('completion')
    .description('print a completion script for bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      examples([
        'msp-license completion bash > ~/.local/share/bash-completion/completions/msp-license',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a zsh expansion, printed as is
        'msp-license completion zsh > "${fpath[1]}/_msp-license"',
        'msp-license completion fish > ~/.config/fish/completions/msp-license.fish',
      ]),
    )
    .action((shell: string, _o, cmd: Command) => run(QUICK_COMMANDS.completion, cmd, [shell]));

  const autolicense = program
    .command('autolicense')
    .description('tenant auto-licensing: status, enable, disable (new devices licensed by Central)')
    .addHelpText(
      'after',
      examples([
        'msp-license autolicense status --services foundation_ap --all-customers',
        'msp-license autolicense enable -s foundation_ap --exclude c1,c2 --wait',
        'msp-license autolicense disable -s foundation_ap --include c3 --yes',
      ]),
    );
  addFlags(
    autolicense
      .command('status')
      .description(
        'per service: the MSP default (what new tenants inherit), each tenant on or off, paused or not',
      ),
    autolicenseStatusFlags,
  )
    .addHelpText(
      'after',
      `
Costs one call per customer in scope (cached 6 h with its age), one for the MSP default and one
per service for the pause status; the count is said before it is spent.
${examples(['msp-license autolicense status -s foundation_ap --all-customers', 'msp-license autolicense status --include "Acme Dental" --refresh --json'])}`,
    )
    .action((_o, cmd: Command) =>
      dispatch(() => import('./commands/autolicense-status.js'), cmd, autolicenseStatusFlags),
    );
  for (const action of ['enable', 'disable'] as const) {
    const flags = action === 'enable' ? autolicenseEnableFlags : autolicenseDisableFlags;
    addFlags(
      autolicense
        .command(action)
        .description(
          action === 'enable'
            ? 'turn auto-licensing on for services and customers (assigns them now, and to new devices later)'
            : 'turn auto-licensing off for services and customers (current licenses stay)',
        ),
      flags,
    )
      .addHelpText(
        'after',
        action === 'enable'
          ? examples([
              'msp-license autolicense enable -s foundation_ap --all-customers   # future tenants inherit it',
              'msp-license autolicense enable -s foundation_ap --exclude c1 --wait',
            ])
          : examples(['msp-license autolicense disable -s foundation_ap --include c1 --yes']),
      )
      .action((_o, cmd: Command) =>
        dispatch(
          action === 'enable'
            ? () => import('./commands/autolicense-enable.js')
            : () => import('./commands/autolicense-disable.js'),
          cmd,
          flags,
        ),
      );
  }

  // Licensing as code (docs/policy.md): plan, plan --check, apply.
  addFlags(
    program
      .command('plan')
      .description(
        'licensing as code: compare the estate with a policy file and list the jobs that converge it',
      ),
    planFlags,
  )
    .addHelpText(
      'after',
      `
Costs one call per 100 customers (the list, always fresh), one per service, one per customer and
service the policy covers, and one per customer whose rule says auto or absent (cached 6 h); the
count is said before it is spent. Exit codes: 0 in sync (or a plan printed), 10 drifted (--check).
${examples([
  'msp-license plan -f licensing.yaml',
  'msp-license plan -f licensing.yaml --out plan.json && msp-license apply plan.json',
  'msp-license plan -f licensing.yaml --check --quiet   # cron: exit 10 = drift',
])}`,
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/plan.js'), cmd, planFlags));
  addFlags(
    program
      .command('apply')
      .description(
        'licensing as code: run the jobs that converge the estate to a policy file or a saved plan',
      )
      .argument('[plan]', "a plan saved by 'msp-license plan --out' (refused if the estate changed since)"),
    applyFlags,
  )
    .addHelpText(
      'after',
      examples([
        'msp-license apply -f licensing.yaml --dry-run',
        'msp-license apply plan.json --yes --wait',
        'msp-license apply --resume --yes',
      ]),
    )
    .action((planFile: string | undefined, _o, cmd: Command) =>
      dispatch(
        () => import('./commands/apply.js'),
        cmd,
        applyFlags,
        planFile === undefined ? [] : [planFile],
      ),
    );

  addFlags(
    program
      .command('doctor')
      .description('check, on a live tenant, every API behaviour the tool relies on (read-only calls)'),
    doctorFlags,
  )
    .addHelpText(
      'after',
      examples([
        'msp-license --profile prod doctor',
        'msp-license doctor --yes --json',
        'msp-license doctor --record answers.json',
      ]),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/doctor.js'), cmd, doctorFlags));

  addFlags(
    program
      .command('sandbox')
      .description('run a local simulated Central (for trying the tool and rehearsing cron scripts)'),
    sandboxFlags,
  )
    .addHelpText(
      'after',
      examples([
        'msp-license sandbox --write-profile &',
        'msp-license --profile sandbox customers',
        'msp-license sandbox --customers 2000 --devices 50000 --json',
      ]),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/sandbox.js'), cmd, sandboxFlags));

  program
    .command('help')
    .description(`help on a command, or a topic: ${HELP_TOPIC_LIST}`)
    .argument('[topic...]', "a topic, or a command ('auth status')")
    .addHelpText('after', examples(['msp-license help cron', 'msp-license help auth status']))
    .action(async (words: string[] = [], _o, cmd: Command) => {
      const { helpTopic } = await import('./help-topics.js');
      const topic = words.length ? words.join(' ') : undefined;
      const text = topic ? helpTopic(topic) : undefined;
      if (text) {
        std().stdout.write(text);
        return;
      }
      let target: Command | undefined = topic ? program : undefined;
      for (const word of words) target = target?.commands.find((c) => c.name() === word);
      if (topic && !target) {
        throw new CliError(`No help topic or command '${topic}'.`, ExitCode.usage, {
          code: 'usage',
          hint: `Topics: ${HELP_TOPIC_LIST}. Commands: msp-license --help`,
        });
      }
      (target ?? cmd.parent ?? program).outputHelp();
    });

  program
    .command('__complete', { hidden: true })
    .description('shell completion callback')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[] = []) => {
      const { complete } = await import('./completion/complete.js');
      await complete(program, words);
    });

  return program;
}

/** Maps commander's own exits (usage errors exit 1 by default) onto our exit codes (README, "Exit codes"). */
function exitCodeOf(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
  if (error.code === 'commander.help') return ExitCode.ok;
  return ExitCode.usage;
}

/** `msp-license auth status`: the words that name a command. */
function commandPath(command: Command): string {
  const words: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/** Commander's usage error as one of ours (errors.ts), for the command it concerns. */
/** Commander's help width: a terminal's columns, else 80. */
function widthOf(stream: { isTTY?: boolean; columns?: number }): number {
  return (stream.isTTY ? stream.columns : undefined) ?? 80;
}

export function usageErrorOf(error: CommanderError, command: Command): CliError {
  return commanderUsageError(error.message, commandPath(command));
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  // Commander reports usage errors itself, as plain text; we only note which command failed and
  // report it below in our own format (and as {"error":{…}} under --json).
  let failed: Command = program;
  const configure = (command: Command) => {
    command.exitOverride();
    command.showSuggestionAfterError(true);
    command.configureOutput({
      outputError: () => {
        failed = command;
      },
      // Help and the version through std(): on a pipe, no stream is made for them.
      writeOut: (text) => std().stdout.write(text),
      writeErr: (text) => std().stderr.write(text),
      getOutHelpWidth: () => widthOf(std().stdout),
      getErrHelpWidth: () => widthOf(std().stderr),
      // Our help has no colour to strip or keep (and asking stdout would make its stream).
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
    for (const child of command.commands) configure(child);
  };
  configure(program);
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    const { reportError } = await import('./ui/report-error.js');
    if (error instanceof CommanderError) {
      const code = exitCodeOf(error);
      if (code !== ExitCode.usage) return code;
      return reportError(usageErrorOf(error, failed), argv);
    }
    return reportError(error, argv);
  }
}

export function start(): void {
  exitQuietlyOnClosedPipe();
  main().then((code) => {
    process.exitCode = code;
    // Idle keep-alive sockets would hold the process open for a moment after the last call:
    // exit once everything written has been flushed.
    flushed(() => process.exit(code));
  });
}
