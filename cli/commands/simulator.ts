import type { Command } from 'commander';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { loadCommandConfig } from '../context.js';
import { startHearingStop } from '../signals.js';
import { runGatewaySimulator } from './simulator-gateway.js';

/** Simulator options derived from a config's rest-json target: same port, same HMAC credentials. */
export function simulatorOptionsFor(config: Readonly<Config>, target: string) {
  const t = config.targets[target];
  if (t?.kind !== 'rest-json') {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `simulator: no rest-json target \`${target}\` in ${config.file}`,
    );
  }
  const url = new URL(t.url);
  return {
    host: url.hostname,
    port: Number(url.port || 80),
    ...(t.auth.scheme === 'hmac' ? { auth: { appKey: t.auth.appKey, secret: t.auth.secret } } : {}),
  };
}

export function registerSimulatorCommand(program: Command): void {
  program
    .command('simulator')
    .description('run a platform simulator (a real HTTP server) until SIGTERM or SIGINT')
    .argument('<kind>', 'simulator kind: province, gateway (message gateway of a notify target)')
    .option('--target <name>', 'the config target it stands in for (its URL and credentials)', 'province')
    .option(
      '--state <file>',
      'SQLite file that keeps what the simulator received across restarts (created when absent; a province JSON state file of earlier versions is converted)',
    )
    .option('-c, --config <file>', 'config file')
    .action(async (kind: string, opts: { target: string; state?: string }, cmd: Command) => {
      if (kind === 'gateway')
        return runGatewaySimulator(await loadCommandConfig(cmd), cmd, opts.target, opts.state);
      if (kind !== 'province')
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `simulator: unknown kind \`${kind}\` (known: province, gateway)`,
        );
      const config = await loadCommandConfig(cmd);
      const { started: sim, signal } = await startHearingStop(() =>
        startProvinceSimulator({
          ...simulatorOptionsFor(config, opts.target),
          ...(opts.state ? { stateFile: opts.state } : {}),
        }),
      );
      process.stderr.write(`simulator: province platform listening at ${sim.url}\n`);
      await signal;
      await sim.close();
    });
}
