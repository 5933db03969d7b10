/**
 * Every target kind passes the target conformance suite (target-conformance.ts): rest-json against
 * the province simulator, soap-xml against the city SOAP simulator, and front-db on SQLite, on
 * PostgreSQL, and as KingbaseES (the PostgreSQL protocol, so run on the test PostgreSQL server).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexModule from 'knex';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import { startCitySoapSimulator } from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { createPgDatabase } from '../connectors/servers.js';
import { restConfig } from './license-fixture.js';
import { runTargetConformance } from './target-conformance.js';

runTargetConformance('rest-json (province simulator)', async () => {
  const sim = await startProvinceSimulator({ auth: { appKey: 'district', secret: 'conformance-secret' } });
  const config = restConfig(sim.url, {
    auth: { scheme: 'hmac', appKey: 'district', secret: 'conformance-secret' },
    attempts: 1,
    timeoutMs: 2000,
  });
  return {
    adapter: new RestJsonTarget('province', config),
    target: 'province',
    heldKeys: async () => sim.licenses().map((l) => l.key),
    unreachable: async () => new RestJsonTarget('province', { ...config, url: 'http://127.0.0.1:1' }),
    async dispose() {
      await sim.close();
    },
  };
});

runTargetConformance('soap-xml (city SOAP simulator)', async () => {
  const sim = await startCitySoapSimulator({ auth: { username: 'district', password: 'city-password' } });
  const config = {
    kind: 'soap-xml' as const,
    url: sim.url,
    username: 'district',
    password: 'city-password',
    batchSize: 50,
    timeoutMs: 2000,
    concurrency: 2,
    attempts: 1,
  };
  return {
    adapter: new SoapXmlTarget('city', config),
    target: 'city',
    heldKeys: async () => sim.licenses().map((l) => l.key),
    unreachable: async () => new SoapXmlTarget('city', { ...config, url: 'http://127.0.0.1:1' }),
    async dispose() {
      await sim.close();
    },
  };
});

const frontDb = (
  client: FrontDbTargetConfig['client'],
  place: Pick<FrontDbTargetConfig, 'connection' | 'path'>,
): FrontDbTargetConfig => ({
  kind: 'front-db',
  client,
  ...place,
  table: 'UP_LIC_DATA',
  dataSource: '11370211MB1234567X',
  createTable: true,
  batchSize: 50,
  timeoutMs: 5000,
  concurrency: 2,
  attempts: 1,
});

runTargetConformance('front-db (SQLite)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-frontdb-'));
  const path = join(dir, 'front.db');
  const adapter = new FrontDbTarget('city-front', frontDb('sqlite', { path }));
  return {
    adapter,
    target: 'city-front',
    async heldKeys() {
      const db = knexModule({
        client: 'better-sqlite3',
        connection: { filename: path },
        useNullAsDefault: true,
      });
      try {
        return (await db('UP_LIC_DATA').select('DELIVERY_KEY')).map(
          (r: { DELIVERY_KEY: string }) => r.DELIVERY_KEY,
        );
      } finally {
        await db.destroy();
      }
    },
    unreachable: async () =>
      new FrontDbTarget('city-front', frontDb('sqlite', { path: join(dir, 'no-such-folder', 'front.db') })),
    async dispose() {
      await adapter.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

for (const client of ['postgres', 'kingbase'] as const) {
  runTargetConformance(
    `front-db (${client === 'kingbase' ? 'KingbaseES, on PostgreSQL' : 'PostgreSQL'})`,
    async () => {
      const fresh = await createPgDatabase();
      const connection = { host: '127.0.0.1', port: 5432, user: 'postgres', database: fresh.database };
      const adapter = new FrontDbTarget('city-front', frontDb(client, { connection }));
      return {
        adapter,
        target: 'city-front',
        async heldKeys() {
          const r = await fresh.client.query<{ k: string }>('SELECT "DELIVERY_KEY" AS k FROM "UP_LIC_DATA"');
          return r.rows.map((x) => x.k);
        },
        unreachable: async () =>
          new FrontDbTarget('city-front', frontDb(client, { connection: { ...connection, port: 1 } })),
        async dispose() {
          await adapter.close();
          await fresh.drop();
        },
      };
    },
  );
}
