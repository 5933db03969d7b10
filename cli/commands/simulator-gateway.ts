import type { Command } from 'commander';
import { startGatewaySimulator } from '../../adapters/simulators/gateway/gateway-simulator.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { startHearingStop } from '../signals.js';

/**
 * `licbridge simulator gateway`: the message gateway simulator on a config's notify target — its
 * URL's host and port, its HMAC credentials. `target` undefined: the config's only notify target.
 */
export function gatewaySimulatorOptionsFor(config: Readonly<Config>, target: string | undefined) {
  const notify = Object.keys(config.targets).filter((t) => config.targets[t]?.kind === 'notify');
  const name = target ?? (notify.length === 1 ? notify[0] : undefined);
  const t = name === undefined ? undefined : config.targets[name];
  if (t?.kind !== 'notify') {
    const which =
      target === undefined
        ? `name one of ${notify.join(', ') || '(none)'} with --target`
        : `no notify target \`${target}\``;
    throw new LicbridgeError(ErrorCodes.USAGE, `simulator: ${which} in ${config.file}`);
  }
  const url = new URL(t.url);
  return {
    host: url.hostname,
    // An https URL without a port means 443, where the target connects; 80 only for http.
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    ...(t.auth.scheme === 'hmac' ? { auth: { appKey: t.auth.appKey, secret: t.auth.secret } } : {}),
  };
}

export async function runGatewaySimulator(
  config: Readonly<Config>,
  cmd: Command,
  target: string,
  stateFile?: string,
): Promise<void> {
  const explicit = cmd.getOptionValueSource('target') !== 'default';
  const { started: sim, signal } = await startHearingStop(() =>
    startGatewaySimulator({
      ...gatewaySimulatorOptionsFor(config, explicit ? target : undefined),
      ...(stateFile ? { stateFile } : {}),
    }),
  );
  process.stderr.write(`simulator: message gateway listening at ${sim.url}\n`);
  await signal;
  await sim.close();
}
