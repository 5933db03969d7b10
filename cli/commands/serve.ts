import type { Command } from 'commander';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { terminalLine } from '../../core/terminal-text.js';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { commandFinished } from '../linger.js';
import { startHearingStop } from '../signals.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve /metrics (Prometheus), /healthz, /readyz and the queue dashboard (behind serve.auth) ' +
        'on serve.host:serve.port (127.0.0.1:9464 by default) until SIGTERM or SIGINT',
    )
    .option('--host <address>', 'address to bind (overrides serve.host)')
    .option('--port <n>', 'port to listen on, 0 for any free port (overrides serve.port)')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { host?: string; port?: string }, cmd: Command) => {
      // Checked before anything is opened: a bad port failed inside listen() with the metrics
      // timers already running, so the process never exited.
      const port = opts.port === undefined ? undefined : portOption(opts.port);
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      const { started: server, signal } = await startHearingStop(() =>
        startOpsServer(config, logger, {
          ...(opts.host ? { host: opts.host } : {}),
          ...(port !== undefined ? { port } : {}),
        }),
      );
      // One line on stdout so a script (or a test) learns the port it got.
      process.stdout.write(
        `licbridge serve: listening on ${server.url}${server.dashboard ? ' (dashboard at /dashboard)' : ''}\n`,
      );
      await signal;
      await server.close();
      logger.info('serve: stopped');
      // Stopped: a handle still open (a queue connection reconnecting to a Redis that is away, a
      // library's timer) must not keep the process up after it said so, until a second signal
      // or the supervisor's SIGKILL (cli/linger.ts).
      commandFinished('serve', logger);
    });
}

function portOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535)
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `serve: expected \`--port\` to be a port from 0 to 65535, got \`${terminalLine(value)}\``,
    );
  return n;
}
