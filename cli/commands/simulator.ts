import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { startGatewaySimulator } from '../../adapters/simulators/gateway/gateway-simulator.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { loadCommandConfig } from '../context.js';
import { startHearingStop } from '../signals.js';

/** Where the province simulator serves what a target's credentials fetch (province-simulator.ts). */
const TOKEN_PATH = '/oauth/token';
const SECRET_PATH = '/auth/secret';

/** PEM certificate and key the simulator serves HTTPS with; with `clientCa`, it asks for client certificates. */
export interface SimulatorTls {
  cert: string;
  key: string;
  clientCa?: string;
}

/**
 * A credential endpoint the target's config names must be the simulator's own (at the root of the
 * `url`'s host and port, or under its path): a client sent elsewhere for its token would fail every
 * delivery while the simulator waited unasked.
 */
function ownEndpoint(
  config: Readonly<Config>,
  target: string,
  key: string,
  at: string,
  url: URL,
  basePath: string,
): void {
  const root = new URL(at, url.origin);
  const under = new URL(`${basePath}${at}`, url.origin);
  if (key === root.href || key === under.href) return;
  const where = basePath === '' ? root.href : `${root.href} or ${under.href}`;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `simulator: target \`${target}\` in ${config.file} fetches its credentials from ${key}; the simulator serves them at ${where} (set the target's auth to that URL to run it against the simulator)`,
  );
}

/**
 * The target speaks TLS to an https `url`: served plain HTTP there, every request of it failed its
 * handshake. The simulator serves HTTPS with a certificate the target trusts (`--tls-cert`,
 * `--tls-key`), and refuses to start without one, or with one for an http `url`.
 */
function tlsFor(config: Readonly<Config>, target: string, url: URL, tls: SimulatorTls | undefined) {
  const https = url.protocol === 'https:';
  if (https === (tls !== undefined)) return tls ? { tls } : {};
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    https
      ? `simulator: target \`${target}\` in ${config.file} has an https url: give the simulator a certificate the target trusts for ${url.hostname} with --tls-cert and --tls-key (it serves no plain HTTP where the target expects TLS)`
      : `simulator: target \`${target}\` in ${config.file} has an http url: it would not speak TLS to the simulator (drop --tls-cert and --tls-key, or make the url https)`,
  );
}

/**
 * Simulator options derived from a config's rest-json target: the same port and path (its endpoints
 * served under the `url`'s path, where the target sends them), HTTPS for an https `url` (with `tls`,
 * required then), and the same credentials checked as the platform checks them (HMAC; OAuth2 bearer tokens it issues at
 * `/oauth/token`; app key + md5 with secrets it hands out at `/auth/secret`). A scheme the
 * simulator cannot check is refused rather than served open: every request would be accepted.
 */
export function simulatorOptionsFor(config: Readonly<Config>, target: string, tls?: SimulatorTls) {
  const t = config.targets[target];
  if (t?.kind !== 'rest-json') {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `simulator: no rest-json target \`${target}\` in ${config.file}`,
    );
  }
  const url = new URL(t.url);
  // An https URL without a port means 443, where the target connects; 80 only for http.
  const basePath = url.pathname.replace(/\/+$/, '');
  const at = {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    ...(basePath === '' ? {} : { basePath }),
    ...tlsFor(config, target, url, tls),
  };
  const auth = t.auth;
  switch (auth.scheme) {
    case 'none':
      return at;
    case 'hmac':
      return { ...at, auth: { appKey: auth.appKey, secret: auth.secret } };
    case 'oauth2':
      ownEndpoint(config, target, auth.tokenUrl, TOKEN_PATH, url, basePath);
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
      if (auth.refreshUrl !== undefined)
        ownEndpoint(config, target, auth.refreshUrl, SECRET_PATH, url, basePath);
      return { ...at, appkeyMd5: { appKey: auth.appKey, secret: auth.secret } };
    default:
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `simulator: target \`${target}\` in ${config.file} uses auth scheme \`${auth.scheme}\`, which the province simulator does not check (it checks none, hmac, oauth2, appkey-md5)`,
      );
  }
}

/**
 * Gateway simulator options for a config's notify target (`target` undefined: its only one): the
 * same port and credentials (HMAC), `POST /messages` under the `url`'s path where the target sends
 * it, and HTTPS for an https `url` (with `tls`, required then), as for the province.
 */
export function gatewayStandInOptions(
  config: Readonly<Config>,
  target: string | undefined,
  tls?: SimulatorTls,
) {
  const notify = Object.keys(config.targets).filter((t) => config.targets[t]?.kind === 'notify');
  const name = target ?? (notify.length === 1 ? notify[0] : undefined);
  const t = name === undefined ? undefined : config.targets[name];
  if (name === undefined || t?.kind !== 'notify') {
    const which =
      target === undefined
        ? `name one of ${notify.join(', ') || '(none)'} with --target`
        : `no notify target \`${target}\``;
    throw new LicbridgeError(ErrorCodes.USAGE, `simulator: ${which} in ${config.file}`);
  }
  const url = new URL(t.url);
  const basePath = url.pathname.replace(/\/+$/, '');
  return {
    host: url.hostname,
    // An https URL without a port means 443, where the target connects; 80 only for http.
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    ...(basePath === '' ? {} : { basePath }),
    ...tlsFor(config, name, url, tls),
    ...(t.auth.scheme === 'hmac' ? { auth: { appKey: t.auth.appKey, secret: t.auth.secret } } : {}),
  };
}

interface SimulatorCommandOptions {
  target: string;
  state?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
}

/** The PEM files of `--tls-cert`, `--tls-key` and `--tls-client-ca`; undefined without them. */
async function readTls(opts: SimulatorCommandOptions): Promise<SimulatorTls | undefined> {
  if (!opts.tlsCert && !opts.tlsKey) {
    if (!opts.tlsClientCa) return undefined;
    throw new LicbridgeError(ErrorCodes.USAGE, 'simulator: --tls-client-ca needs --tls-cert and --tls-key');
  }
  if (!opts.tlsCert || !opts.tlsKey)
    throw new LicbridgeError(ErrorCodes.USAGE, 'simulator: --tls-cert and --tls-key go together');
  const read = async (option: string, file: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      throw new LicbridgeError(ErrorCodes.USAGE, `simulator: ${option} ${file}: cannot read it`, {
        cause: e,
      });
    }
  };
  return {
    cert: await read('--tls-cert', opts.tlsCert),
    key: await read('--tls-key', opts.tlsKey),
    ...(opts.tlsClientCa ? { clientCa: await read('--tls-client-ca', opts.tlsClientCa) } : {}),
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
    .option(
      '--tls-cert <file>',
      'PEM certificate the simulator serves HTTPS with (for a target with an https url)',
    )
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--tls-client-ca <file>', 'PEM CA whose client certificates the simulator demands (mutual TLS)')
    .action(async (kind: string, opts: SimulatorCommandOptions, cmd: Command) => {
      if (kind === 'gateway') {
        const config = await loadCommandConfig(cmd);
        const explicit = cmd.getOptionValueSource('target') !== 'default';
        const options = gatewayStandInOptions(
          config,
          explicit ? opts.target : undefined,
          await readTls(opts),
        );
        const { started: sim, signal } = await startHearingStop(() =>
          startGatewaySimulator({ ...options, ...(opts.state ? { stateFile: opts.state } : {}) }),
        );
        process.stderr.write(`simulator: message gateway listening at ${sim.url}\n`);
        await signal;
        return sim.close();
      }
      if (kind !== 'province')
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `simulator: unknown kind \`${kind}\` (known: province, gateway)`,
        );
      const config = await loadCommandConfig(cmd);
      const tls = await readTls(opts);
      const { started: sim, signal } = await startHearingStop(() =>
        startProvinceSimulator({
          ...simulatorOptionsFor(config, opts.target, tls),
          ...(opts.state ? { stateFile: opts.state } : {}),
        }),
      );
      process.stderr.write(`simulator: province platform listening at ${sim.url}\n`);
      await signal;
      await sim.close();
    });
}
