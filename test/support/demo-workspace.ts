import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import { markSqliteLedger, unmarkSqliteLedger } from '../ledger/sqlite-ledger-template.js';

export interface DemoWorkspace {
  dir: string;
  configFile: string;
  legacyDb: string;
  prefix: string;
  simulator: ProvinceSimulator;
  publicKeyPem: string;
  cleanup(): Promise<void>;
}

export interface DemoWorkspaceOptions {
  /** @defaultValue 300 */
  rows?: number;
  /** @defaultValue 7 */
  seed?: number;
  /**
   * Whether the ledger (`data/ledger.db`, still made by the first command that writes) is filled
   * from the script of what the migrations leave (test/ledger/sqlite-ledger-template.ts) instead of
   * running them. false: every migration runs, as on a department's first run — for a test of the
   * migrations, or of a ledger they left part of the way.
   * @defaultValue true
   */
  ledgerTemplate?: boolean;
}

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
export const DEMO_SECRET = 'test-secret-for-hmac';

/**
 * A private copy of the demo department in a temp folder: its own legacy DB, seal key (generated
 * here), ledger, simulator on a free port, and a unique queue prefix — so tests never share state.
 */
export async function createDemoWorkspace(options: DemoWorkspaceOptions = {}): Promise<DemoWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-demo-'));
  await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
  await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
  await mkdir(join(dir, 'data', 'keys'), { recursive: true });
  // Running the ~60 migrations, each synced to disk, into every workspace's new ledger was a
  // large share of a short test file's CPU. The template is made once a process by running them
  // (and again when a source under ledger/ changes), so it is what they leave; a command run as
  // its own process (a crash point, LICBRIDGE_TEST_SPAWN) runs them itself.
  const ledger = join(dir, 'data', 'ledger.db');
  if (options.ledgerTemplate ?? true) await markSqliteLedger(ledger);
  const legacyDb = join(dir, 'data', 'legacy.db');
  await generateLegacyDatabase(legacyDb, { rows: options.rows ?? 300, seed: options.seed ?? 7 });
  const keys = generateSm2KeyPair();
  await writeFile(join(dir, 'data', 'keys', 'seal.key.pem'), keys.privateKeyPem, { mode: 0o600 });
  const simulator = await startProvinceSimulator({
    port: 0,
    auth: { appKey: 'test-app', secret: DEMO_SECRET },
    stateFile: join(dir, 'data', 'sim.json'),
  });
  const prefix = `test-${randomUUID()}`;
  const configFile = join(dir, 'licbridge.yaml');
  await writeFile(configFile, demoConfigYaml({ prefix, simulatorUrl: simulator.url }));
  return {
    dir,
    configFile,
    legacyDb,
    prefix,
    simulator,
    publicKeyPem: keys.publicKeyPem,
    async cleanup() {
      unmarkSqliteLedger(ledger);
      await simulator.close();
      await obliterate(prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo department's config. Its seal signs through the worker pool with one thread: the
 * default (`auto`) starts a thread per core in every run — for a few hundred signatures, starting
 * them cost more than they sign, and each parallel test file started its own on a shared machine.
 */
export function demoConfigYaml(o: { prefix: string; simulatorUrl: string; redis?: string }): string {
  return `ledger: { url: "sqlite://./data/ledger.db" }
queue: { redis: "${o.redis ?? 'redis://127.0.0.1:6379'}", prefix: ${o.prefix}, connectTimeoutMs: 3000 }
log: { level: warn }
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
    targets: [province]
signers:
  district-seal: { kind: local-sm2, key: "\${file:./data/keys/seal.key.pem}", workers: 1, sealId: "3702110000001" }
targets:
  province:
    kind: rest-json
    url: "${o.simulatorUrl}"
    auth: { scheme: hmac, appKey: test-app, secret: "\${env:LB_TEST_PROVINCE_SECRET:-${DEMO_SECRET}}" }
`;
}

/** Removes every Redis key under a test's queue prefix. */
export async function obliterate(prefix: string): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
