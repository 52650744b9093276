import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli.js';
import {
  type CompletionData,
  type CustomerEntry,
  completeWords,
  Directive,
  formatCompletion,
  type ServiceEntry,
} from '../../../src/completion/engine.js';
import { specFromCommander } from '../../../src/completion/spec.js';

const spec = specFromCommander(buildProgram());

const SERVICES: Record<string, ServiceEntry[]> = {
  prod: [
    { name: 'foundation_ap', displayName: 'Foundation AP' },
    { name: 'foundation_switch_6200', category: 'foundation', deviceType: 'SWITCH' },
    { name: 'advanced_ap' },
    { name: 'advanced_switch_6300' },
  ],
  lab: [{ name: 'lab_service' }],
};
const CUSTOMERS: CustomerEntry[] = [
  { id: 'c7f3a1', name: 'Acme Dental' },
  { id: 'c7f3b2', name: 'Acme Logistics' },
  { id: 'd91e00', name: 'Beta Corp' },
  { id: 'e00001', name: 'Comma, Inc' },
];

/** Fake local data; records which profile the caches were asked for. */
function data(): CompletionData & { asked: Array<string | undefined> } {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    profiles: () => [{ value: 'prod', description: 'eu-1 (default)' }, { value: 'lab' }],
    clusters: () => [{ value: 'eu-1' }, { value: 'us-1' }],
    services: (flag) => {
      asked.push(flag);
      return SERVICES[flag ?? 'prod'] ?? [];
    },
    customers: (flag) => {
      asked.push(flag);
      return CUSTOMERS;
    },
  };
}

const values = (line: string, source = data()) =>
  completeWords(spec, line.split(' '), source).candidates.map((candidate) => candidate.value);

describe('completeWords', () => {
  it('completes commands and subcommands', () => {
    expect(values('un')).toEqual(['unassign']);
    expect(values('')).toEqual(expect.arrayContaining(['assign', 'auth', 'completion', 'help']));
    expect(values('')).not.toContain('__complete');
    expect(values('auth ')).toEqual(expect.arrayContaining(['status', 'refresh']));
    expect(values('profiles ')).toEqual(['use']);
  });

  it('completes options of the command and of the program', () => {
    expect(values('assign --ser')).toEqual(['--services']);
    expect(values('assign --pro')).toEqual(['--profile']);
    expect(values('assign --dry-run --dry')).toEqual([]);
    expect(values('assign -')).toEqual(expect.arrayContaining(['-s', '--services', '-y', '--yes', '-p']));
    expect(values('assign --')).not.toContain('-s');
  });

  it('completes service names, also after a comma, without repeating one', () => {
    expect(values('assign --services fou')).toEqual(['foundation_ap', 'foundation_switch_6200']);
    expect(values('assign --services foundation_ap,adv')).toEqual([
      'foundation_ap,advanced_ap',
      'foundation_ap,advanced_switch_6300',
    ]);
    expect(values('assign --services foundation_ap,')).not.toContain('foundation_ap,foundation_ap');
    expect(values('assign -s FOU')).toEqual(['foundation_ap', 'foundation_switch_6200']);
    expect(values('assign --services=fou')).toEqual([
      '--services=foundation_ap',
      '--services=foundation_switch_6200',
    ]);
    expect(values('assign -sfou')).toEqual([]);
  });

  it('describes services by their display name or category', () => {
    const result = completeWords(spec, ['assign', '--services', 'foundation_'], data());
    expect(result.candidates).toEqual([
      { value: 'foundation_ap', description: 'Foundation AP' },
      { value: 'foundation_switch_6200', description: 'foundation, SWITCH' },
    ]);
  });

  it('completes customer ids (described by name) and names (described by id)', () => {
    const result = completeWords(spec, ['unassign', '--exclude', 'c7'], data());
    expect(result.candidates).toEqual([
      { value: 'c7f3a1', description: 'Acme Dental' },
      { value: 'c7f3b2', description: 'Acme Logistics' },
    ]);
    expect(values('assign --include Acme')).toEqual(['Acme Dental', 'Acme Logistics']);
    expect(values('status --include d91e00,Ac')).toEqual(['d91e00,Acme Dental', 'd91e00,Acme Logistics']);
    // a name with a comma cannot go in a comma list; its id can
    expect(values('assign --include Comma')).toEqual([]);
    expect(values('assign --include e0')).toEqual(['e00001']);
  });

  it('reads the caches of the profile named in the words', () => {
    const source = data();
    expect(values('-p lab assign --services ', source)).toEqual(['lab_service']);
    expect(values('--profile=lab assign --services ', source)).toEqual(['lab_service']);
    expect(values('assign --profile lab --services ', source)).toEqual(['lab_service']);
    expect(values('assign --services ', source)).toHaveLength(4);
    expect(source.asked).toEqual(['lab', 'lab', 'lab', undefined]);
  });

  it('completes profiles, clusters, shells and help topics', () => {
    expect(values('--profile ')).toEqual(['prod', 'lab']);
    expect(values('-p l')).toEqual(['lab']);
    expect(values('profiles use p')).toEqual(['prod']);
    expect(values('login --cluster e')).toEqual(['eu-1']);
    expect(values('completion ')).toEqual(['bash', 'zsh', 'fish']);
    expect(values('completion z')).toEqual(['zsh']);
    expect(values('completion bash ')).toEqual([]);
    expect(values('help e')).toEqual(['exit-codes', 'environment']);
    expect(values('help as')).toEqual(['assign']);
  });

  it('asks for file names only where an option takes a file', () => {
    expect(completeWords(spec, ['assign', '--include-file', ''], data()).directive).toBe(Directive.default);
    expect(completeWords(spec, ['assign', '--services', ''], data()).directive).toBe(Directive.noFileComp);
    expect(completeWords(spec, ['history', '--since', ''], data())).toEqual({
      candidates: [],
      directive: Directive.noFileComp,
    });
  });

  it('stops reading options after --', () => {
    expect(values('assign -- --ser')).toEqual([]);
  });
});

describe('formatCompletion', () => {
  it('prints value<TAB>description lines and a directive only when it is not the default', () => {
    expect(
      formatCompletion({ candidates: [{ value: 'a', description: 'x\ty' }, { value: 'b' }], directive: 4 }),
    ).toBe('a\tx y\nb\n');
    expect(formatCompletion({ candidates: [], directive: 4 })).toBe('');
    expect(formatCompletion({ candidates: [], directive: 0 })).toBe(':0\n');
    expect(formatCompletion({ candidates: [{ value: 'a\nb' }], directive: 6 })).toBe('a b\n:6\n');
  });
});

describe('autolicense and doctor', () => {
  it('completes the autolicense subcommands, and services and customers after their flags', () => {
    expect(values('autolicense ')).toEqual(expect.arrayContaining(['status', 'enable', 'disable']));
    expect(values('autolicense enable --services found')).toEqual([
      'foundation_ap',
      'foundation_switch_6200',
    ]);
    expect(values('autolicense disable --include Acme')).toEqual(['Acme Dental', 'Acme Logistics']);
    expect(values('autolicense status --')).toEqual(expect.arrayContaining(['--refresh', '--all-customers']));
    expect(values('autolicense disable --')).not.toContain('--wait');
    expect(values('doctor --')).toEqual(expect.arrayContaining(['--record', '--yes']));
  });
});
