import type { Command } from 'commander';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { loadCommandConfig } from '../context.js';
import { startHearingStop } from '../signals.js';
import { runGatewaySimulator } from './simulator-gateway.js';

/** Where the province simulator serves what a target's credentials fetch (province-simulator.ts). */
const TOKEN_PATH = '/oauth/token';
const SECRET_PATH = '/auth/secret';

/**
 * A credential endpoint the target's config names must be the simulator's own: a client sent
 * elsewhere for its token would fail every delivery while the simulator waited unasked.
 */
function ownEndpoint(config: Readonly<Config>, target: string, key: string, at: string, url: URL): void {
  const wanted = new URL(at === TOKEN_PATH ? TOKEN_PATH : SECRET_PATH, url.origin);
  if (key === wanted.href) return;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `simulator: target \`${target}\` in ${config.file} fetches its credentials from ${key}; the simulator serves them at ${wanted.href} (set the target's auth to that URL to run it against the simulator)`,
  );
}

/**
 * Simulator options derived from a config's rest-json target: the same port, and the same
 * credentials checked as the platform checks them (HMAC; OAuth2 bearer tokens it issues at
 * `/oauth/token`; app key + md5 with secrets it hands out at `/auth/secret`). A scheme the
 * simulator cannot check is refused rather than served open: every request would be accepted.
 */
export function simulatorOptionsFor(config: Readonly<Config>, target: string) {
  const t = config.targets[target];
  if (t?.kind !== 'rest-json') {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `simulator: no rest-json target \`${target}\` in ${config.file}`,
    );
  }
  const url = new URL(t.url);
  // An https URL without a port means 443, where the target connects; 80 only for http.
  const at = { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
  const auth = t.auth;
  switch (auth.scheme) {
    case 'none':
      return at;
    case 'hmac':
      return { ...at, auth: { appKey: auth.appKey, secret: auth.secret } };
    case 'oauth2':
      ownEndpoint(config, target, auth.tokenUrl, TOKEN_PATH, url);
      return {
        ...at,
        oauth2: {
          clientId: auth.clientId,
          clientSecret: auth.clientSecret,
          // Read as the target sends it: form-urlencoded, a secret with `+` or `%` was refused here.
          ...(auth.basicEncoding === undefined ? {} : { basicEncoding: auth.basicEncoding }),
        },
      };
    case 'appkey-md5':
      if (auth.refreshUrl !== undefined) ownEndpoint(config, target, auth.refreshUrl, SECRET_PATH, url);
      return { ...at, appkeyMd5: { appKey: auth.appKey, secret: auth.secret } };
    default:
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `simulator: target \`${target}\` in ${config.file} uses auth scheme \`${auth.scheme}\`, which the province simulator does not check (it checks none, hmac, oauth2, appkey-md5)`,
      );
  }
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
