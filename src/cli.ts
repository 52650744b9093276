// The commander tree and nothing else: every action import()s its command, so --help, --version
// and completion load commander alone (undici, zod, ora and conf live in lazily loaded chunks).
import { Command, CommanderError, Option } from 'commander';
import { CLUSTERS } from './central/clusters.js';
import { CliError, ExitCode } from './errors.js';
import type { GlobalOptions } from './globals.js';
import { HELP_TOPIC_LIST } from './help-topic-names.js';

declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
];

/** Customer references are kept as typed: a name may hold a comma, so they are split once resolved. */
const collectRaw = (value: string, previous: string[] = []): string[] =>
  value.trim() ? [...previous, value.trim()] : previous;

type Loader = () => Promise<{ run: (ctx: never, options: never, ...args: never[]) => Promise<unknown> }>;

export type Dispatcher = (load: Loader, command: Command, args: unknown[]) => Promise<void>;

/** Runs one command: builds its context from the global options, then hands over. */
let dispatcher: Dispatcher = async (load, command, args) => {
  const { runCommand } = await import('./runtime.js');
  const options = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
  // A bad value is reported under the name it was given by: the flag or the variable.
  if (command.getOptionValueSourceWithGlobals('requestTimeout') === 'env')
    options.requestTimeoutFrom = 'MSP_LICENSE_REQUEST_TIMEOUT';
  await runCommand(load, options, args);
};

/** The wiring test replaces how actions run, to see what argv turns into. */
export function setDispatcher(replacement: Dispatcher): void {
  dispatcher = replacement;
}

function dispatch(load: Loader, command: Command, args: unknown[] = []): Promise<void> {
  return dispatcher(load, command, args);
}

const examples = (lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

function scopeOptions(command: Command): Command {
  return command
    .option(
      '--include <customers>',
      'only these customers (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)',
      collectRaw,
    )
    .option(
      '--exclude <customers>',
      'every customer but these (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)',
      collectRaw,
    )
    .option(
      '--include-file <file>',
      "read customers to include from FILE ('-' = stdin), one per line, # comments",
    )
    .option(
      '--exclude-file <file>',
      "read customers to exclude from FILE ('-' = stdin), one per line, # comments",
    )
    .option('--all-customers', 'every customer of the MSP (required when neither --include nor --exclude)');
}

function jobCommand(program: Command, verb: 'assign' | 'unassign'): Command {
  const command = program
    .command(verb)
    .description(
      verb === 'assign'
        ? 'assign service licenses to all devices of the chosen customers'
        : 'remove service licenses from all devices of the chosen customers',
    )
    // Checked by the command, not by commander: an unknown flag must be reported before a missing
    // one (and --resume takes the services from the history).
    .option(
      '-s, --services <names>',
      verb === 'assign'
        ? 'services to assign (comma list; repeatable)'
        : 'services to remove (comma list; repeatable)',
      collect,
    );
  scopeOptions(command)
    .option('--dry-run', 'resolve and validate, print the plan, send nothing')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('-w, --wait', 'wait until every eligible device in scope is done')
    .option('--timeout <duration>', 'with --wait: give up after this long (1s to 7d, e.g. 30m, 2h)', '30m')
    .option(
      '--interval <duration>',
      'with --wait: time between progress polls (1s to 1h; each poll costs one call per service)',
      '15s',
    )
    .option(
      '--stall-after <duration>',
      'with --wait: give up (exit 7) after this long without progress (1s to 1d)',
      '10m',
    )
    .addOption(
      new Option('--chunk-size <n>', 'customer ids per request, 1 to 10000 (halved on 413/417)').default(
        '200',
      ),
    )
    .option('--resume [run-id]', 'send only what an earlier run did not get accepted (from the history)')
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
    .action((_options, cmd: Command) =>
      dispatch(
        verb === 'assign' ? () => import('./commands/assign.js') : () => import('./commands/unassign.js'),
        cmd,
      ),
    );
  return command;
}

export function buildProgram(): Command {
  const program = new Command('msp-license')
    .description('Assign Aruba Central service licenses to the devices of an MSP’s tenant customers.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Wrap descriptions on narrow terminals too (commander gives up below 40 columns of them);
    // set before the subcommands are added, which inherit it.
    .configureHelp({ minWidthToWrap: 16 })
    .addOption(new Option('-p, --profile <name>', 'profile to use').env('MSP_LICENSE_PROFILE'))
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('-q, --quiet', 'print only errors and answers (no status lines, no confirmations)')
    .option('-v, --verbose', 'trace HTTP calls on stderr (secrets redacted)')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('--no-input', 'never prompt (scripts, cron)')
    .addOption(
      new Option('--base-url <url>', 'gateway URL (overrides the profile)').env('MSP_LICENSE_BASE_URL'),
    )
    .addOption(
      new Option(
        '--request-timeout <duration>',
        'give up on one HTTP request after this long (1s to 10m, default 30s)',
      ).env('MSP_LICENSE_REQUEST_TIMEOUT'),
    )
    .showSuggestionAfterError(true)
    .helpCommand(false)
    .addHelpText(
      'after',
      `\nHelp topics: msp-license help exit-codes | environment | cron\n${examples([
        'msp-license sandbox --write-profile            # a simulated Central to try things on',
        'msp-license --profile sandbox assign --services foundation_ap --exclude c1,c2 --wait',
      ])}`,
    );

  program
    .command('login')
    .description('store credentials in a profile (interactive on a terminal)')
    .option('--cluster <name>', `regional gateway: ${Object.keys(CLUSTERS).join(', ')}`)
    .option('--client-id <id>', 'API client id (Central: API Gateway → System Apps & Tokens)')
    .option('--client-secret-stdin', 'read the client secret from stdin (or set MSP_LICENSE_CLIENT_SECRET)')
    .option('--token-file <file>', "Central's “Download Token” JSON file ('-' = stdin)")
    .option('--refresh-token-stdin', 'read a refresh token from stdin')
    .option(
      '--username <email>',
      'username/password login (non-SSO accounts); password from --password-stdin',
    )
    .option('--password-stdin', 'read the password from stdin')
    .option('--customer-id <id>', 'with --username: the MSP customer id')
    .option('--default', 'make this the default profile')
    .addHelpText(
      'after',
      examples([
        'msp-license login                                    # on a terminal: asks for everything',
        'printf %s "$SECRET" | msp-license login -p prod --cluster eu-1 --client-id ID --client-secret-stdin --token-file token.json',
      ]),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/login.js'), cmd));

  program
    .command('logout')
    .description("forget a profile's secrets (keeps its gateway and client id)")
    .option('--remove', 'remove the whole profile')
    .addHelpText(
      'after',
      examples(['msp-license logout --profile old-lab', 'msp-license logout --profile old-lab --remove']),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/logout.js'), cmd));

  const auth = program
    .command('auth')
    .description('credentials: status and keep-alive')
    .addHelpText('after', examples(['msp-license auth status', 'msp-license auth refresh --quiet']));
  auth
    .command('status')
    .description('who am I, which gateway, token expiry, refresh-token age (exit 4 when they do not work)')
    .option('--offline', 'do not verify with a live call')
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
    .action((_o, cmd: Command) => dispatch(() => import('./commands/auth-status.js'), cmd));
  auth
    .command('refresh')
    .description('refresh the tokens now (cron keep-alive: refresh tokens die after 15 days unused)')
    .addHelpText('after', examples(['msp-license auth refresh --profile prod --quiet   # weekly, from cron']))
    .action((_o, cmd: Command) => dispatch(() => import('./commands/auth-refresh.js'), cmd));

  const profiles = program
    .command('profiles')
    .description('list profiles; mark the default; refresh-token age')
    .addHelpText(
      'after',
      examples(['msp-license profiles', 'msp-license profiles use prod', 'msp-license profiles --json']),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/profiles.js'), cmd));
  profiles
    .command('use <name>')
    .description('make a profile the default')
    .addHelpText('after', examples(['msp-license profiles use prod']))
    .action((name: string, _o, cmd: Command) =>
      dispatch(() => import('./commands/profiles.js'), cmd, ['use', name]),
    );

  program
    .command('services')
    .description('list the licensable services (cached; --refresh)')
    .option('--refresh', 'fetch the list again instead of using the cache')
    .option('--all', 'also list non-Central GreenLake services')
    .addHelpText('after', examples(['msp-license services', 'msp-license services --refresh --json']))
    .action((_o, cmd: Command) => dispatch(() => import('./commands/services.js'), cmd));

  program
    .command('customers')
    .description('list tenant customers (cached; --refresh, --search TEXT)')
    .option('--refresh', 'fetch the list again instead of using the cache')
    .option('--search <text>', 'only customers whose name or id contains TEXT')
    .addHelpText(
      'after',
      examples(['msp-license customers --search dental', 'msp-license customers --refresh --json']),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/customers.js'), cmd));

  jobCommand(program, 'assign');
  jobCommand(program, 'unassign');

  scopeOptions(
    program
      .command('status')
      .description('license coverage of a scope: devices licensed / eligible, per service and customer')
      .option(
        '-s, --services <names>',
        'services to report (default: every service with eligible devices)',
        collect,
      ),
  )
    .option(
      '--refresh-autolicense',
      'ask Central for the auto-licensing state (MSP default, paused) instead of the cache',
    )
    .addHelpText('after', examples(['msp-license status --services foundation_ap --all-customers']))
    .action((_o, cmd: Command) => dispatch(() => import('./commands/status.js'), cmd));

  program
    .command('history')
    .description('the local audit log of every assign/unassign this machine sent')
    .option('--since <when>', 'only entries since a date (2026-11-01) or a duration ago (7d, 12h)')
    .option('--limit <n>', 'at most N entries, newest last (1 to 1000000)', '20')
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
    .action((_o, cmd: Command) => dispatch(() => import('./commands/history.js'), cmd));

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
    .action((shell: string, _o, cmd: Command) =>
      dispatch(() => import('./commands/completion.js'), cmd, [shell]),
    );

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
  scopeOptions(
    autolicense
      .command('status')
      .description(
        'per service: the MSP default (what new tenants inherit), each tenant on or off, paused or not',
      )
      .option(
        '-s, --services <names>',
        'services to report (default: every service with eligible devices)',
        collect,
      ),
  )
    .option('--refresh', 'ask Central again instead of using answers cached less than 6 h ago')
    .option('-y, --yes', 'spend the calls even when they would take most of the day budget')
    .addHelpText(
      'after',
      `
Costs one call per customer in scope (cached 6 h with its age), one for the MSP default and one
per service for the pause status; the count is said before it is spent.
${examples(['msp-license autolicense status -s foundation_ap --all-customers', 'msp-license autolicense status --include "Acme Dental" --refresh --json'])}`,
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/autolicense-status.js'), cmd));
  for (const action of ['enable', 'disable'] as const) {
    const command = autolicense
      .command(action)
      .description(
        action === 'enable'
          ? 'turn auto-licensing on for services and customers (assigns them now, and to new devices later)'
          : 'turn auto-licensing off for services and customers (current licenses stay)',
      )
      .option('-s, --services <names>', 'services (comma list; repeatable)', collect);
    scopeOptions(command)
      .option('--dry-run', 'resolve and validate, print the plan, send nothing')
      .option('-y, --yes', 'do not ask for confirmation');
    if (action === 'enable') {
      command
        .option('-w, --wait', 'wait until every eligible device in scope is licensed')
        .option('--timeout <duration>', 'with --wait: give up after this long (e.g. 30m, 2h)', '30m')
        .option('--interval <duration>', 'with --wait: time between progress polls (min 1s)', '15s')
        .option(
          '--stall-after <duration>',
          'with --wait: give up (exit 7) after this long without progress',
          '10m',
        );
    }
    command
      .addOption(
        new Option('--chunk-size <n>', 'customer ids per request (halved on 413/417)').default('200'),
      )
      .option('--resume [run-id]', 'send only what an earlier run did not get accepted (from the history)')
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
        ),
      );
  }

  // Licensing as code (docs/policy.md): plan, plan --check, apply.
  program
    .command('plan')
    .description(
      'licensing as code: compare the estate with a policy file and list the jobs that converge it',
    )
    .option('-f, --file <policy>', "the policy file, YAML or JSON ('-' = stdin)")
    .option(
      '--check',
      'for cron and monitoring: exit 10 when the estate has drifted (one line per customer on stderr)',
    )
    .option('--out <file>', "save the plan as JSON for 'msp-license apply FILE'")
    .option(
      '--refresh',
      'ask Central for auto-licensing settings instead of answers cached less than 6 h ago',
    )
    .option('-y, --yes', "spend the API calls even past what is left of today's budget")
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
    .action((_o, cmd: Command) => dispatch(() => import('./commands/plan.js'), cmd));
  program
    .command('apply')
    .description('licensing as code: run the jobs that converge the estate to a policy file or a saved plan')
    .argument('[plan]', "a plan saved by 'msp-license plan --out' (refused if the estate changed since)")
    .option('-f, --file <policy>', "the policy file, YAML or JSON ('-' = stdin)")
    .option('--dry-run', 'read the state and print the plan, send nothing')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('-w, --wait', 'wait for each license job until its devices are done')
    .option('--timeout <duration>', 'with --wait: give up on a job after this long (1s to 7d)', '30m')
    .option('--interval <duration>', 'with --wait: time between progress polls (1s to 1h)', '15s')
    .option(
      '--stall-after <duration>',
      'with --wait: give up (exit 7) after this long without progress',
      '10m',
    )
    .addOption(new Option('--chunk-size <n>', 'customer ids per request, 1 to 10000').default('200'))
    .option(
      '--refresh',
      'ask Central for auto-licensing settings instead of answers cached less than 6 h ago',
    )
    .option('--resume [apply-id]', 'send the jobs an earlier apply did not finish (its record)')
    .addHelpText(
      'after',
      examples([
        'msp-license apply -f licensing.yaml --dry-run',
        'msp-license apply plan.json --yes --wait',
        'msp-license apply --resume --yes',
      ]),
    )
    .action((planFile: string | undefined, _o, cmd: Command) =>
      dispatch(() => import('./commands/apply.js'), cmd, planFile === undefined ? [] : [planFile]),
    );

  program
    .command('doctor')
    .description('check, on a live tenant, every API behaviour the tool relies on (read-only calls)')
    .option('-y, --yes', 'do not ask before making the calls')
    .option(
      '--record <file>',
      'also write the raw answers, with every id, name, serial, MAC and token replaced',
    )
    .addHelpText(
      'after',
      examples([
        'msp-license --profile prod doctor',
        'msp-license doctor --yes --json',
        'msp-license doctor --record answers.json',
      ]),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/doctor.js'), cmd));

  program
    .command('sandbox')
    .description('run a local simulated Central (for trying the tool and rehearsing cron scripts)')
    .option('--port <n>', 'port to listen on, 0 to 65535 (0 = any free one)', '0')
    .option('--host <addr>', 'loopback address to bind', '127.0.0.1')
    .option('--customers <n>', 'tenant customers', '20')
    .option('--devices <n>', 'tenant devices in all', '500')
    .option('--licenses <n>', 'licenses per service', '1000000')
    .option('--job-speed <n>', 'devices licensed per second by a job', '500')
    .option('--token-ttl <seconds>', 'access-token lifetime', '7200')
    .option('--page-size <n>', 'silent cap on page sizes', '100')
    .option('--max-ids <n>', 'customer ids per request before 413', '500')
    .option('--daily-limit <n>', 'API calls per day', '5000')
    .option('--no-rate-limit', 'do not enforce 7 calls/s and the daily budget')
    .option('--services-v2', 'also serve the documented v2 services path')
    .option(
      '--variant <switches>',
      'how to answer where Central is not known: tenant-stats=scoped|ignored, stats-filter=service|license_type, msp-in-wide=yes|no, services-v2=ok|404|401|403|405|500, job-conflict=N (comma list; repeatable)',
      (value: string, previous?: string) => (previous ? `${previous},${value}` : value),
    )
    .option(
      '--replay <file>',
      'serve the answers recorded by `doctor --record` instead of a simulated estate',
    )
    .option('--fault-429 <n>', 'answer the next N calls with 429')
    .option('--fault-5xx <n>', 'answer the next N calls with 500')
    .option('--latency <ms>', 'delay every answer')
    .option('--seed <n>', 'estate seed', '1')
    .option('--write-profile [name]', 'write a ready profile (default name: sandbox)')
    .addHelpText(
      'after',
      examples([
        'msp-license sandbox --write-profile &',
        'msp-license --profile sandbox customers',
        'msp-license sandbox --customers 2000 --devices 50000 --json',
      ]),
    )
    .action((_o, cmd: Command) => dispatch(() => import('./commands/sandbox.js'), cmd));

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
        process.stdout.write(text);
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

/**
 * Commander's usage error (`error: unknown option '--bogus'\n(Did you mean --base-url?)`) as one of
 * ours: a sentence, the suggestion and the help of the command it concerns as the hint.
 */
export function usageErrorOf(error: CommanderError, command: Command): CliError {
  const [first = '', ...rest] = error.message
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const sentence = `${first.charAt(0).toUpperCase()}${first.slice(1)}${/[.?!]$/.test(first) ? '' : '.'}`;
  const suggestion = rest.map((line) => line.replace(/^\((.*)\)$/, '$1')).join(' ');
  const help = `Run '${commandPath(command)} --help' for usage.`;
  return new CliError(sentence, ExitCode.usage, {
    code: 'usage',
    hint: suggestion ? `${suggestion} ${help}` : help,
  });
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
  main().then((code) => {
    process.exitCode = code;
    // Idle keep-alive sockets would hold the process open for a moment after the last call:
    // exit once everything written has been flushed.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}
