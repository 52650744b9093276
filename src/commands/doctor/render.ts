// doctor, shown: the gateway, one line per check with its mark, the calls made.
import type { Context } from '../../context.js';
import { table } from '../../ui/format.js';
import type { DoctorResult } from '../doctor.js';
import type { Verdict } from './verdicts.js';

const MARK: Record<Verdict, string> = { ok: '✓', warn: '!', fail: '✗', unknown: '?' };
const COLOR = { ok: 'green', warn: 'yellow', fail: 'red', unknown: 'dim' } as const;

export function render(result: DoctorResult, ctx: Context): void {
  const { io } = ctx;
  io.out(`Central at ${result.gateway}${result.profile ? ` (profile ${result.profile})` : ''}`);
  const rows = result.checks.map((c) => [
    `${io.styleOut(COLOR[c.verdict], MARK[c.verdict])} ${c.title}`,
    c.detail,
  ]);
  for (const line of table(rows, [{}, {}])) io.out(line);
  io.info(
    `${result.apiCalls} API calls.${Object.keys(result.learned).length ? ' What was learned is kept for later runs of this profile.' : ''}`,
  );
  if (result.recorded) io.info(`Answers recorded (nothing identifying left) in ${result.recorded}.`);
}
