// Every command's flags, once: src/cli.ts adds them to commander, the dispatcher parses argv's
// values with them, and each command's `run` takes `OptionsOf<typeof …>` as its options type.
// A new flag is one line here; its type, parsing, help and completion follow from it.
import { CLUSTERS } from './central/clusters.js';
import {
  duration,
  flag,
  instant,
  integer,
  list,
  type OptionsOf,
  optionalText,
  parseFlags,
  references,
  text,
} from './options.js';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The global flags (before or after the command). `--request-timeout` stays text: see context.ts. */
export const globalFlags = {
  profile: text('-p, --profile <name>', 'profile to use', { env: 'MSP_LICENSE_PROFILE' }),
  json: flag('--json', 'machine-readable output: one JSON document on stdout'),
  quiet: flag('-q, --quiet', 'print only errors and answers (no status lines, no confirmations)'),
  verbose: flag('-v, --verbose', 'trace HTTP calls on stderr (secrets redacted)'),
  color: flag('--no-color', 'no colour (also NO_COLOR)'),
  input: flag('--no-input', 'never prompt (scripts, cron)'),
  baseUrl: text('--base-url <url>', 'gateway URL (overrides the profile)', { env: 'MSP_LICENSE_BASE_URL' }),
  // Parsed when a request is made, not here: a bad value in the environment must not break the
  // commands that make none (profiles, history, completion...).
  requestTimeout: text(
    '--request-timeout <duration>',
    'give up on one HTTP request after this long (1s to 10m, default 30s)',
    { env: 'MSP_LICENSE_REQUEST_TIMEOUT' },
  ),
};

export const scopeFlags = {
  include: references(
    '--include <customers>',
    'only these customers (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)',
  ),
  exclude: references(
    '--exclude <customers>',
    'every customer but these (ids, exact names, group:NAME, name:GLOB; comma list; repeatable)',
  ),
  includeFile: text(
    '--include-file <file>',
    "read customers to include from FILE ('-' = stdin), one per line, # comments",
  ),
  excludeFile: text(
    '--exclude-file <file>',
    "read customers to exclude from FILE ('-' = stdin), one per line, # comments",
  ),
  allCustomers: flag(
    '--all-customers',
    'every customer of the MSP (required when neither --include nor --exclude)',
  ),
};

const dryRun = flag('--dry-run', 'resolve and validate, print the plan, send nothing');
const yes = flag('-y, --yes', 'do not ask for confirmation');
const resume = optionalText(
  '--resume [run-id]',
  'send only what an earlier run did not get accepted (from the history)',
);
const reportServices = list(
  '-s, --services <names>',
  'services to report (default: every service with eligible devices)',
);

/**
 * --timeout, --interval and --stall-after: the same ranges and defaults wherever a job is waited
 * for (job-prepare.ts relies on them); each command words their help its own way.
 */
function waitFlags(help: { timeout: string; interval: string; stallAfter: string }) {
  return {
    timeout: duration('--timeout <duration>', help.timeout, { fallback: '30m', min: SECOND, max: 7 * DAY }),
    interval: duration('--interval <duration>', help.interval, { fallback: '15s', min: SECOND, max: HOUR }),
    stallAfter: duration('--stall-after <duration>', help.stallAfter, {
      fallback: '10m',
      min: SECOND,
      max: DAY,
    }),
  };
}

function jobFlags(verb: 'assign' | 'unassign') {
  return {
    // Checked by the command, not by commander: an unknown flag must be reported before a missing
    // one (and --resume takes the services from the history).
    services: list(
      '-s, --services <names>',
      verb === 'assign'
        ? 'services to assign (comma list; repeatable)'
        : 'services to remove (comma list; repeatable)',
    ),
    ...scopeFlags,
    dryRun,
    yes,
    wait: flag('-w, --wait', 'wait until every eligible device in scope is done'),
    ...waitFlags({
      timeout: 'with --wait: give up after this long (1s to 7d, e.g. 30m, 2h)',
      interval: 'with --wait: time between progress polls (1s to 1h; each poll costs one call per service)',
      stallAfter: 'with --wait: give up (exit 7) after this long without progress (1s to 1d)',
    }),
    chunkSize: integer('--chunk-size <n>', 'customer ids per request, 1 to 10000 (halved on 413/417)', {
      fallback: '200',
      min: 1,
      max: 10_000,
    }),
    resume,
  };
}

export const assignFlags = jobFlags('assign');
export const unassignFlags = jobFlags('unassign');

const autolicenseFlags = {
  services: list('-s, --services <names>', 'services (comma list; repeatable)'),
  ...scopeFlags,
  dryRun,
  yes,
};
const autolicenseTail = {
  chunkSize: integer('--chunk-size <n>', 'customer ids per request (halved on 413/417)', {
    fallback: '200',
    min: 1,
    max: 10_000,
  }),
  resume,
};

export const autolicenseEnableFlags = {
  ...autolicenseFlags,
  wait: flag('-w, --wait', 'wait until every eligible device in scope is licensed'),
  ...waitFlags({
    timeout: 'with --wait: give up after this long (e.g. 30m, 2h)',
    interval: 'with --wait: time between progress polls (min 1s)',
    stallAfter: 'with --wait: give up (exit 7) after this long without progress',
  }),
  ...autolicenseTail,
};

export const autolicenseDisableFlags = { ...autolicenseFlags, ...autolicenseTail };

export const statusFlags = {
  services: reportServices,
  ...scopeFlags,
  refreshAutolicense: flag(
    '--refresh-autolicense',
    'ask Central for the auto-licensing state (MSP default, paused) instead of the cache',
  ),
};

export const autolicenseStatusFlags = {
  services: reportServices,
  ...scopeFlags,
  refresh: flag('--refresh', 'ask Central again instead of using answers cached less than 6 h ago'),
  yes: flag('-y, --yes', 'spend the calls even when they would take most of the day budget'),
};

export const loginFlags = {
  cluster: text('--cluster <name>', `regional gateway: ${Object.keys(CLUSTERS).join(', ')}`),
  clientId: text('--client-id <id>', 'API client id (Central: API Gateway → System Apps & Tokens)'),
  clientSecretStdin: flag(
    '--client-secret-stdin',
    'read the client secret from stdin (or set MSP_LICENSE_CLIENT_SECRET)',
  ),
  tokenFile: text('--token-file <file>', "Central's “Download Token” JSON file ('-' = stdin)"),
  refreshTokenStdin: flag('--refresh-token-stdin', 'read a refresh token from stdin'),
  username: text(
    '--username <email>',
    'username/password login (non-SSO accounts); password from --password-stdin',
  ),
  passwordStdin: flag('--password-stdin', 'read the password from stdin'),
  customerId: text('--customer-id <id>', 'with --username: the MSP customer id'),
  default: flag('--default', 'make this the default profile'),
};

export const logoutFlags = { remove: flag('--remove', 'remove the whole profile') };

export const authStatusFlags = { offline: flag('--offline', 'do not verify with a live call') };

export const servicesFlags = {
  refresh: flag('--refresh', 'fetch the list again instead of using the cache'),
  all: flag('--all', 'also list non-Central GreenLake services'),
};

export const customersFlags = {
  refresh: flag('--refresh', 'fetch the list again instead of using the cache'),
  search: text('--search <text>', 'only customers whose name or id contains TEXT'),
};

export const historyFlags = {
  since: instant('--since <when>', 'only entries since a date (2026-11-01) or a duration ago (7d, 12h)'),
  limit: integer('--limit <n>', 'at most N entries, newest last (1 to 1000000)', {
    fallback: '20',
    min: 1,
    max: 1_000_000,
  }),
};

export const doctorFlags = {
  yes: flag('-y, --yes', 'do not ask before making the calls'),
  record: text(
    '--record <file>',
    'also write the raw answers, with every id, name, serial, MAC and token replaced',
  ),
};

const policyFile = text('-f, --file <policy>', "the policy file, YAML or JSON ('-' = stdin)");
const refreshAutolicense = flag(
  '--refresh',
  'ask Central for auto-licensing settings instead of answers cached less than 6 h ago',
);

export const planFlags = {
  file: policyFile,
  check: flag(
    '--check',
    'for cron and monitoring: exit 10 when the estate has drifted (one line per customer on stderr)',
  ),
  out: text('--out <file>', "save the plan as JSON for 'msp-license apply FILE'"),
  refresh: refreshAutolicense,
  yes: flag('-y, --yes', "spend the API calls even past what is left of today's budget"),
};

export const applyFlags = {
  file: policyFile,
  dryRun: flag('--dry-run', 'read the state and print the plan, send nothing'),
  yes: flag('-y, --yes', 'do not ask for confirmation (required without a terminal)'),
  wait: flag('-w, --wait', 'wait for each license job until its devices are done'),
  ...waitFlags({
    timeout: 'with --wait: give up on a job after this long (1s to 7d)',
    interval: 'with --wait: time between progress polls (1s to 1h)',
    stallAfter: 'with --wait: give up (exit 7) after this long without progress',
  }),
  chunkSize: integer('--chunk-size <n>', 'customer ids per request, 1 to 10000', {
    fallback: '200',
    min: 1,
    max: 10_000,
  }),
  refresh: refreshAutolicense,
  resume: optionalText('--resume [apply-id]', 'send the jobs an earlier apply did not finish (its record)'),
};

const MAX = 10_000_000;
export const sandboxFlags = {
  port: integer('--port <n>', 'port to listen on, 0 to 65535 (0 = any free one)', {
    fallback: '0',
    min: 0,
    max: 65_535,
  }),
  host: text('--host <addr>', 'loopback address to bind', { fallback: '127.0.0.1' }),
  customers: integer('--customers <n>', 'tenant customers', { fallback: '20', min: 1, max: MAX }),
  devices: integer('--devices <n>', 'tenant devices in all', { fallback: '500', min: 0, max: MAX }),
  licenses: integer('--licenses <n>', 'licenses per service', { fallback: '1000000', min: 0, max: MAX }),
  jobSpeed: integer('--job-speed <n>', 'devices licensed per second by a job', {
    fallback: '500',
    min: 1,
    max: MAX,
  }),
  tokenTtl: integer('--token-ttl <seconds>', 'access-token lifetime', {
    fallback: '7200',
    min: 1,
    max: 30 * 86_400,
  }),
  pageSize: integer('--page-size <n>', 'silent cap on page sizes', { fallback: '100', min: 1, max: MAX }),
  maxIds: integer('--max-ids <n>', 'customer ids per request before 413', {
    fallback: '500',
    min: 1,
    max: MAX,
  }),
  dailyLimit: integer('--daily-limit <n>', 'API calls per day', { fallback: '5000', min: 1, max: MAX }),
  rateLimit: flag('--no-rate-limit', 'do not enforce 7 calls/s and the daily budget'),
  servicesV2: flag('--services-v2', 'also serve the documented v2 services path'),
  variant: {
    ...text(
      '--variant <switches>',
      'how to answer where Central is not known: tenant-stats=scoped|ignored, stats-filter=service|license_type, msp-in-wide=yes|no, services-v2=ok|404|401|403|405|500, job-conflict=N (comma list; repeatable)',
    ),
    collect: (value: string, previous: unknown) => (previous ? `${previous},${value}` : value),
  },
  replay: text(
    '--replay <file>',
    'serve the answers recorded by `doctor --record` instead of a simulated estate',
  ),
  fault429: integer('--fault-429 <n>', 'answer the next N calls with 429', { min: 0, max: MAX }),
  fault5xx: integer('--fault-5xx <n>', 'answer the next N calls with 500', { min: 0, max: MAX }),
  latency: integer('--latency <ms>', 'delay every answer', { min: 0, max: 60_000 }),
  seed: integer('--seed <n>', 'estate seed', { fallback: '1', min: 0, max: 2 ** 32 - 1 }),
  writeProfile: optionalText('--write-profile [name]', 'write a ready profile (default name: sandbox)'),
};

export type GlobalOptions = Partial<OptionsOf<typeof globalFlags>> & {
  /** Where requestTimeout came from when not the flag (`MSP_LICENSE_REQUEST_TIMEOUT`). */
  requestTimeoutFrom?: string;
};

/** The global options from commander's raw values (and where each came from). */
export function globalOptions(
  raw: Record<string, unknown>,
  sourceOf: (key: string) => string | undefined,
): GlobalOptions {
  const globals: GlobalOptions = parseFlags(globalFlags, raw, sourceOf);
  // A bad value is reported under the name it was given by: the flag or the variable.
  if (sourceOf('requestTimeout') === 'env') globals.requestTimeoutFrom = 'MSP_LICENSE_REQUEST_TIMEOUT';
  return globals;
}

export type ScopeOptions = OptionsOf<typeof scopeFlags>;
export type AssignOptions = OptionsOf<typeof assignFlags>;
export type AutolicenseEnableOptions = OptionsOf<typeof autolicenseEnableFlags>;
export type AutolicenseDisableOptions = OptionsOf<typeof autolicenseDisableFlags>;
export type StatusOptions = OptionsOf<typeof statusFlags>;
export type AutolicenseStatusOptions = OptionsOf<typeof autolicenseStatusFlags>;
export type LoginOptions = OptionsOf<typeof loginFlags>;
export type LogoutOptions = OptionsOf<typeof logoutFlags>;
export type AuthStatusOptions = OptionsOf<typeof authStatusFlags>;
export type ServicesOptions = OptionsOf<typeof servicesFlags>;
export type CustomersOptions = OptionsOf<typeof customersFlags>;
export type HistoryOptions = OptionsOf<typeof historyFlags>;
export type DoctorOptions = OptionsOf<typeof doctorFlags>;
export type SandboxOptions = OptionsOf<typeof sandboxFlags>;
export type PlanOptions = OptionsOf<typeof planFlags>;
export type ApplyOptions = OptionsOf<typeof applyFlags>;
