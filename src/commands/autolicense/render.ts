// autolicense status, shown: a line per service, the customers it is off for under it.
import type { Context } from '../../context.js';
import { count, plural, table } from '../../ui/format.js';
import type { AutoLicenseStatusResult } from '../autolicense-status.js';
import { ageText } from './states.js';

export function render(result: AutoLicenseStatusResult, ctx: Context): void {
  const { io } = ctx;
  const inScope = result.scope.customersInScope;
  io.out(
    `Auto-licensing of ${plural(inScope, 'customer')} — ${result.profile ? `profile ${result.profile}, ` : ''}${result.gateway}`,
  );
  if (result.services.length === 0) {
    io.out('No service has auto-licensing on, for the MSP or any customer in scope.');
  }
  // Per service: its line, then the customers it is off for (a line with no service name).
  const rows: string[][] = [];
  for (const s of result.services) {
    const dflt =
      s.mspDefault === null
        ? 'MSP default unknown'
        : `MSP default ${s.mspDefault ? 'on (new tenants inherit it)' : 'off'}`;
    const paused =
      s.paused === null
        ? 'pause state unknown'
        : s.paused
          ? io.styleOut('red', 'PAUSED: fewer licenses than devices')
          : 'running';
    const pool =
      s.devices !== undefined && s.licenses !== undefined
        ? ` (${count(s.devices)} devices, ${count(s.licenses)} licenses)`
        : '';
    rows.push([
      s.service,
      `on for ${count(s.on)} / ${count(inScope)}${s.unknown ? ` (${count(s.unknown)} unreadable)` : ''}; ${dflt}; ${paused}${pool}`,
    ]);
    if (s.customersOff.length) {
      const shown = s.customersOff.slice(0, 5).map((c) => `${c.name} (${c.id})`);
      rows.push([
        '',
        `off: ${shown.join(', ')}${s.customersOff.length > 5 ? ` and ${count(s.customersOff.length - 5)} more` : ''}`,
      ]);
    }
  }
  for (const line of table(rows, [{ min: 7 }, {}])) io.out(line);
  io.info(
    io.style(
      'dim',
      `${count(result.apiCalls)} API calls; ${count(result.cached)} answers from the cache${result.cached ? ` (oldest ${ageText(result.oldestMs)}; --refresh asks again)` : ''}.`,
    ),
  );
}
