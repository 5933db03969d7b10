/**
 * A private demo department delivering to two platforms at once: the province REST simulator
 * (HMAC) and the city SOAP simulator (WS-Security), each with its own fault plan, a fresh ledger,
 * and a unique queue prefix (optionally on a Redis of the test's own).
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import type { FaultOptions } from '../../adapters/simulators/province/fault-plan.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { markSqliteLedger, unmarkSqliteLedger } from '../ledger/sqlite-ledger-template.js';
import { obliterate } from '../support/demo-workspace.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

export interface SyncWorkspace {
  dir: string;
  configFile: string;
  legacyDb: string;
  prefix: string;
  province: ProvinceSimulator;
  city: CitySoapSimulator;
  cleanup(): Promise<void>;
}

export interface SyncWorkspaceOptions {
  rows: number;
  seed?: number;
  provinceFaults?: FaultOptions;
  cityFaults?: FaultOptions;
  /** Redis URL; default the machine's shared one. */
  redis?: string;
  /** Extra YAML lines under each target (indented by the caller's convention: 4 spaces). */
  targetExtra?: string;
  timeoutMs?: number;
}

export async function createSyncWorkspace(o: SyncWorkspaceOptions): Promise<SyncWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-sync-'));
  await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
  await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
  await mkdir(join(dir, 'data', 'keys'), { recursive: true });
  // The ledger a run in this process opens first is filled from the script of what the
  // migrations leave (../ledger/sqlite-ledger-template.ts), as a demo workspace's is; a command
  // run as its own process runs them itself.
  const ledger = join(dir, 'data', 'ledger.db');
  await markSqliteLedger(ledger);
  const legacyDb = join(dir, 'data', 'legacy.db');
  await generateLegacyDatabase(legacyDb, { rows: o.rows, seed: o.seed ?? 11 });
  await writeFile(join(dir, 'data', 'keys', 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, {
    mode: 0o600,
  });
  const province = await startProvinceSimulator({
    auth: { appKey: 'test-app', secret: 'province-secret' },
    stateFile: join(dir, 'data', 'province.json'),
    ...(o.provinceFaults ? { faults: o.provinceFaults } : {}),
  });
  const city = await startCitySoapSimulator({
    auth: { username: 'district', password: 'city-password' },
    stateFile: join(dir, 'data', 'city.json'),
    ...(o.cityFaults ? { faults: o.cityFaults } : {}),
  });
  const prefix = `test-${randomUUID()}`;
  const configFile = join(dir, 'licbridge.yaml');
  const timeoutMs = o.timeoutMs ?? 400;
  const extra = o.targetExtra ?? '';
  await writeFile(
    configFile,
    `ledger: { url: "sqlite://./data/ledger.db" }
queue: { redis: "${o.redis ?? 'redis://127.0.0.1:6379'}", prefix: ${prefix}, connectTimeoutMs: 3000 }
log: { level: silent }
catalog: ./catalog
sources:
  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }
pipelines:
  food-business-licenses:
    source: market-food
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ./mappings/food-business-license.yaml
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    areaCode: "370211"
    pageSize: 100
    signer: district-seal
    targets: [province, city]
signers:
  district-seal: { kind: local-sm2, key: "\${file:./data/keys/seal.key.pem}", sealId: "3702110000001" }
targets:
  province:
    kind: rest-json
    url: "${province.url}"
    auth: { scheme: hmac, appKey: test-app, secret: province-secret }
    batchSize: 20
    timeoutMs: ${timeoutMs}
    attempts: 40
    backoffMs: 20
    maxBackoffMs: 400
${extra}
  city:
    kind: soap-xml
    url: "${city.url}"
    username: district
    password: city-password
    batchSize: 20
    timeoutMs: ${timeoutMs}
    attempts: 40
    backoffMs: 20
    maxBackoffMs: 400
${extra}
`,
  );
  return {
    dir,
    configFile,
    legacyDb,
    prefix,
    province,
    city,
    async cleanup() {
      unmarkSqliteLedger(ledger);
      await province.close();
      await city.close();
      if (!o.redis) await obliterate(prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
