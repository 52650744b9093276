// The completion decision, pure: the command tree, the words typed so far and a source of local
// data in; candidates and a directive out. The shell scripts only relay this (cobra's design).
import { HELP_TOPICS } from '../help-topic-names.js';
import type { CommandSpec, OptionSpec } from './spec.js';

export interface Candidate {
  value: string;
  description?: string;
}

/** Bit flags on the final `:<n>` line, as cobra spells them. */
export const Directive = {
  default: 0,
  /** Something went wrong: show nothing. */
  error: 1,
  /** Do not add a space after the inserted candidate. */
  noSpace: 2,
  /** Do not fall back to file names when there are no candidates. */
  noFileComp: 4,
} as const;

export interface Completion {
  candidates: Candidate[];
  directive: number;
  /** Candidate lines ready to print (customerLines), before `candidates`. */
  text?: string;
}

export interface ServiceEntry {
  name: string;
  displayName?: string;
  category?: string;
  deviceType?: string;
}

export interface CustomerEntry {
  id: string;
  name: string;
}

/** Local data only (config file, caches): every method may return nothing. */
export interface CompletionData {
  profiles(): Candidate[];
  clusters(): Candidate[];
  services(profileFlag: string | undefined): ServiceEntry[];
  customers(profileFlag: string | undefined): CustomerEntry[];
  /**
   * What customerCandidatesText gives for the cached customers, ready to print, when it was
   * written with the cache and still matches it; else undefined (then `customers` is read).
   */
  customerLines?(profileFlag: string | undefined): string | undefined;
}

type ValueKind = 'services' | 'customers' | 'profile' | 'cluster' | 'file' | 'shell' | 'help-topic' | 'none';

/** What the value of each option is; options not named here take a free value. */
const OPTION_VALUES: Record<string, ValueKind> = {
  '--services': 'services',
  '--include': 'customers',
  '--exclude': 'customers',
  '--profile': 'profile',
  '--cluster': 'cluster',
  '--include-file': 'file',
  '--exclude-file': 'file',
  '--token-file': 'file',
};

/** Positional arguments, by `<command path> <arg name>`. */
const ARG_VALUES: Record<string, ValueKind> = {
  'completion shell': 'shell',
  'help topic': 'help-topic',
  'profiles use name': 'profile',
};

const SHELLS: Candidate[] = [
  { value: 'bash', description: 'Bash (with bash-completion)' },
  { value: 'zsh', description: 'Zsh (compinit)' },
  { value: 'fish', description: 'fish' },
];

const HELP_TOPIC_CANDIDATES: Candidate[] = HELP_TOPICS.map((t) => ({
  value: t.name,
  description: t.description,
}));

interface ParseState {
  path: CommandSpec[];
  /** Positional arguments seen for the innermost command. */
  positionals: number;
  /** Options already given (long names), to not offer flags twice. */
  seen: Set<string>;
  profileFlag?: string;
  /** The option whose value the current word is, if any. */
  pendingValue?: OptionSpec;
  /** After `--`: no more options. */
  endOfOptions: boolean;
}

function longName(option: OptionSpec): string {
  return option.names.find((name) => name.startsWith('--')) ?? option.names[0] ?? '';
}

/** Options in effect at the innermost command: its own, then its ancestors' (commander reads both). */
function optionsInScope(path: CommandSpec[]): OptionSpec[] {
  const result: OptionSpec[] = [];
  for (let i = path.length - 1; i >= 0; i--) result.push(...(path[i]?.options ?? []));
  return result;
}

function findOption(path: CommandSpec[], name: string): OptionSpec | undefined {
  return optionsInScope(path).find((option) => option.names.includes(name));
}

function recordOption(state: ParseState, option: OptionSpec, value: string | undefined): void {
  const long = longName(option);
  state.seen.add(long);
  if (long === '--profile' && value !== undefined) state.profileFlag = value;
}

/** Reads the words before the current one the way commander would. */
function parseWords(spec: CommandSpec, words: string[]): ParseState {
  const state: ParseState = { path: [spec], positionals: 0, seen: new Set(), endOfOptions: false };
  for (const word of words) {
    const command = state.path[state.path.length - 1] ?? spec;
    const pending = state.pendingValue;
    if (pending) {
      state.pendingValue = undefined;
      if (pending.value === 'required' || !word.startsWith('-')) {
        recordOption(state, pending, word);
        continue;
      }
    }
    if (!state.endOfOptions && word === '--') {
      state.endOfOptions = true;
      continue;
    }
    if (!state.endOfOptions && word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq === -1 ? word : word.slice(0, eq);
      const option = findOption(state.path, name);
      if (!option) continue;
      if (eq !== -1) recordOption(state, option, word.slice(eq + 1));
      else if (option.value === 'none') recordOption(state, option, undefined);
      else state.pendingValue = option;
      continue;
    }
    if (!state.endOfOptions && word.startsWith('-') && word.length > 1) {
      // -abc: flags combined; -sVALUE: a short option with its value attached.
      for (let i = 1; i < word.length; i++) {
        const option = findOption(state.path, `-${word[i]}`);
        if (!option) break;
        if (option.value === 'none') {
          recordOption(state, option, undefined);
          continue;
        }
        const rest = word.slice(i + 1);
        if (rest) recordOption(state, option, rest);
        else state.pendingValue = option;
        break;
      }
      continue;
    }
    const sub = state.positionals === 0 ? command.commands.find((c) => c.name === word) : undefined;
    if (sub) {
      state.path.push(sub);
      state.positionals = 0;
    } else {
      state.positionals++;
    }
  }
  return state;
}

function startsWithFold(value: string, prefix: string): boolean {
  return value.toLowerCase().startsWith(prefix.toLowerCase());
}

function byPrefix(candidates: Candidate[], prefix: string): Candidate[] {
  return candidates.filter((candidate) => startsWithFold(candidate.value, prefix));
}

function valueCandidates(
  kind: ValueKind,
  current: string,
  state: ParseState,
  data: CompletionData,
  /** The answer is printed as it is (not prefixed or filtered by the caller): `text` may be used. */
  asIs = false,
): Completion {
  const noFiles = Directive.noFileComp;
  switch (kind) {
    case 'file':
      return { candidates: [], directive: Directive.default };
    case 'none':
      return { candidates: [], directive: noFiles };
    case 'shell':
      return { candidates: byPrefix(SHELLS, current), directive: noFiles };
    case 'help-topic': {
      const commands = (state.path[0]?.commands ?? [])
        .filter((command) => command.name !== 'help')
        .map((command) => ({ value: command.name, description: command.description }));
      return { candidates: byPrefix([...HELP_TOPIC_CANDIDATES, ...commands], current), directive: noFiles };
    }
    case 'profile':
      return { candidates: byPrefix(data.profiles(), current), directive: noFiles };
    case 'cluster':
      return { candidates: byPrefix(data.clusters(), current), directive: noFiles };
    case 'services':
    case 'customers': {
      // comma lists (`--services a,b`): complete the item after the last comma
      const comma = current.lastIndexOf(',');
      const head = current.slice(0, comma + 1);
      const tail = current.slice(comma + 1);
      const taken = new Set(
        head
          .split(',')
          .map((item) => item.trim().toLowerCase())
          .filter(Boolean),
      );
      if (kind === 'customers' && asIs && head === '' && tail.trim() === '') {
        // Every customer, nothing typed yet: the lines written with the cache, when they match it.
        const text = data.customerLines?.(state.profileFlag);
        if (text !== undefined) return { candidates: [], directive: noFiles, text };
      }
      const items =
        kind === 'services'
          ? serviceItems(data, state)
          : customerCandidates(data.customers(state.profileFlag));
      // One pass, no copies where none is needed: 10,000 cached customers are 20,000 items.
      const prefix = tail.trimStart().toLowerCase();
      const candidates: Candidate[] = [];
      for (const item of items) {
        if (taken.size > 0 || prefix) {
          const folded = item.value.toLowerCase();
          if (taken.has(folded) || !folded.startsWith(prefix)) continue;
        }
        candidates.push(head ? { ...item, value: head + item.value } : item);
      }
      return { candidates, directive: noFiles };
    }
  }
}

function serviceItems(data: CompletionData, state: ParseState): Candidate[] {
  const seen = new Set<string>();
  const items: Candidate[] = [];
  for (const service of data.services(state.profileFlag)) {
    if (seen.has(service.name)) continue;
    seen.add(service.name);
    const description =
      service.displayName ?? [service.category, service.deviceType].filter(Boolean).join(', ');
    items.push(description ? { value: service.name, description } : { value: service.name });
  }
  return items;
}

/** Ids (described by their names) and names (described by their ids). */
export function customerCandidates(customers: CustomerEntry[]): Candidate[] {
  const seen = new Set<string>();
  const items: Candidate[] = [];
  for (const customer of customers) {
    if (seen.has(customer.id)) continue;
    seen.add(customer.id);
    items.push({ value: customer.id, description: customer.name });
  }
  // A name with a comma cannot go in a comma list (it would be split); its id still can.
  for (const customer of customers) {
    const name = customer.name;
    if (!name || name.includes(',') || seen.has(name)) continue;
    seen.add(name);
    items.push({ value: name, description: customer.id });
  }
  return items;
}

function optionCandidates(state: ParseState, current: string): Candidate[] {
  const wantShort = current === '-' || (current.length === 2 && current[1] !== '-');
  const candidates: Candidate[] = [];
  for (const option of optionsInScope(state.path)) {
    // Flags said once need not be offered again; options with values may repeat (--services a --services b).
    if (option.value === 'none' && state.seen.has(longName(option))) continue;
    for (const name of option.names) {
      if (name.startsWith('--') || wantShort)
        candidates.push({ value: name, description: option.description });
    }
  }
  return byPrefix(candidates, current);
}

/**
 * Completes `words` (everything after the program name; the last one is the word being typed,
 * possibly empty) into candidates.
 */
export function completeWords(spec: CommandSpec, words: string[], data: CompletionData): Completion {
  const current = words.length ? (words[words.length - 1] ?? '') : '';
  const state = parseWords(spec, words.slice(0, -1));
  const command = state.path[state.path.length - 1] ?? spec;

  if (state.pendingValue) {
    const kind = OPTION_VALUES[longName(state.pendingValue)] ?? 'none';
    if (state.pendingValue.value === 'required' || !current.startsWith('-')) {
      return valueCandidates(kind, current, state, data, true);
    }
  }
  if (!state.endOfOptions && current.startsWith('-')) {
    const eq = current.indexOf('=');
    if (current.startsWith('--') && eq !== -1) {
      const option = findOption(state.path, current.slice(0, eq));
      if (!option || option.value === 'none') return { candidates: [], directive: Directive.noFileComp };
      const prefix = current.slice(0, eq + 1);
      const result = valueCandidates(
        OPTION_VALUES[longName(option)] ?? 'none',
        current.slice(eq + 1),
        state,
        data,
      );
      return {
        candidates: result.candidates.map((c) => ({ ...c, value: prefix + c.value })),
        directive: result.directive | Directive.noFileComp,
      };
    }
    return { candidates: optionCandidates(state, current), directive: Directive.noFileComp };
  }

  const candidates: Candidate[] = [];
  let directive: number = Directive.noFileComp;
  if (state.positionals === 0) {
    for (const sub of command.commands) candidates.push({ value: sub.name, description: sub.description });
  }
  const arg = command.args[Math.min(state.positionals, command.args.length - 1)];
  if (arg && (state.positionals < command.args.length || arg.variadic)) {
    const names = state.path.slice(1).map((c) => c.name);
    const kind = ARG_VALUES[`${names.join(' ')} ${arg.name}`] ?? 'none';
    const result = valueCandidates(kind, current, state, data);
    candidates.push(...result.candidates);
    directive = result.directive;
  }
  return { candidates: byPrefix(candidates, current), directive };
}

const BREAKS = /[\t\r\n]/;
/** Tabs and line breaks (runs of them) as one space; most text has none and is returned as is. */
const oneLine = (text: string): string => (BREAKS.test(text) ? text.replace(/[\t\r\n]+/g, ' ') : text);

/**
 * One candidate a line (`value\tdescription`), then `:<directive>` unless it is the scripts'
 * default (no file names): no candidates then means no output at all. Tabs and newlines never leak.
 */
export function formatCompletion(result: Completion): string {
  let out = result.text ?? '';
  for (const candidate of result.candidates) {
    if (!candidate.value) continue;
    out += candidate.description
      ? `${oneLine(candidate.value)}\t${oneLine(candidate.description)}\n`
      : `${oneLine(candidate.value)}\n`;
  }
  if (result.directive !== Directive.noFileComp) out += `:${result.directive}\n`;
  return out;
}
