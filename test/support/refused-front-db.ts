/**
 * A front database whose connection is refused: a front-db target pointed at a loopback port
 * nothing listens on. No service is needed; the driver's connect fails at once.
 */
import { createServer } from 'node:net';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { frontDbConfig } from '../platforms/front-db-fixtures.js';

/** A local port nothing listens on: taken, then let go. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * A front-db target `name` of `client` writing `UP_LIC_DATA` at a closed local port (a 5 s timeout,
 * and `extra` over the rest); the caller closes it.
 */
export async function refusedFrontDb(
  name: string,
  client: FrontDbTargetConfig['client'],
  extra: Partial<FrontDbTargetConfig> = {},
): Promise<FrontDbTarget> {
  const port = await closedPort();
  return new FrontDbTarget(
    name,
    frontDbConfig(
      client,
      { connection: { host: '127.0.0.1', port, user: 'fake', password: 'fake', database: 'fake' } },
      'UP_LIC_DATA',
      { timeoutMs: 5_000, ...extra },
    ),
  );
}
