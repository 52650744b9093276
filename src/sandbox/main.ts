// The foreground runner behind `msp-license sandbox`: start, print how to connect, stop on a signal.

import { type SandboxOptions, startSandbox } from './server.js';

export interface ForegroundIo {
  json: boolean;
  write: (line: string) => void;
  /** Stops the sandbox like a signal would (tests use it). */
  signal?: AbortSignal;
}

export async function runSandboxForeground(options: SandboxOptions, io: ForegroundIo): Promise<void> {
  const sandbox = await startSandbox(options);
  const { credentials: c, estate } = sandbox;
  if (io.json) {
    io.write(
      JSON.stringify({
        url: sandbox.url,
        port: sandbox.port,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        accessToken: c.accessToken,
        refreshToken: c.refreshToken,
        expiresIn: c.expiresIn,
        customers: estate.customers.length,
        devices: estate.devices.length,
      }),
    );
  } else {
    io.write(`Sandbox Central listening on ${sandbox.url}`);
    io.write(
      `  ${estate.customers.length} customers, ${estate.tenantDeviceCount} tenant devices, ` +
        `${estate.mspDevices.length} MSP-owned devices (MSP id ${c.customerId})`,
    );
    io.write(`  client id ${c.clientId}   client secret ${c.clientSecret}`);
    io.write(`  access token ${c.accessToken}   refresh token ${c.refreshToken}`);
    io.write(`  controls: ${sandbox.url}/__sandbox/state, /__sandbox/log, /__sandbox/faults`);
    io.write('Press Ctrl+C to stop.');
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop, { once: true });
  });
  await sandbox.close();
}
