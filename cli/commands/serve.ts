import type { Command } from 'commander';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { commandLogger, loadCommandConfig } from '../context.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve /metrics (Prometheus), /healthz, /readyz and the queue dashboard (behind serve.auth)\n' +
        'on serve.host:serve.port (127.0.0.1:9464 by default) until SIGTERM or SIGINT',
    )
    .option('--host <address>', 'address to bind (overrides serve.host)')
    .option('--port <n>', 'port to listen on, 0 for any free port (overrides serve.port)')
    .option('-c, --config <file>', 'config file')
    .action(async (opts: { host?: string; port?: string }, cmd: Command) => {
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      const server = await startOpsServer(config, logger, {
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
      });
      // One line on stdout so a script (or a test) learns the port it got.
      process.stdout.write(
        `licbridge serve: listening on ${server.url}${server.dashboard ? ' (dashboard at /dashboard)' : ''}\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      await server.close();
      logger.info('serve: stopped');
    });
}
