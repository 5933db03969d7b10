/**
 * `config check --connect` turns what a source, a stream check or a target's own check failed with
 * into a problem located at its config entry. A driver's or a platform's words may quote a row's
 * value or a URL with its password; the problem held them as they came (`(e as Error).message`),
 * and the CLI prints a config problem with its quotes kept (they are the config file's own text).
 * Each is now made safe as the CLI prints any other error (failureMessage).
 *
 * The failures are a driver's words given to the source and target kinds (their registries'
 * entries replaced for the test): which words a real driver quotes, and when, is the drivers' own
 * tests' matter (test/core/error-line-drivers.test.ts).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { targetKinds } from '../../adapters/platforms/kinds.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { loadConfig } from '../../config/loader.js';
import { sourceKinds } from '../../connectors/kinds.js';
import { createLogger } from '../../core/logger.js';
import { checkConnections } from '../../pipelines/config-check.js';
import { RECORD_PATH, writeExport } from '../connectors/xml-fixtures.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
/** Made up: a holder's name a driver quotes and a password in a URL it names. */
const NAME = '某某食品经营部';
const PASSWORD = 'Pw9xQ2Lk7';
const said = (what: string) =>
  `${what}: Duplicate entry '${NAME}-0001' for key 'uk_holder' (via postgres://lb:${PASSWORD}@db/lic)`;

let dir: string;
let configFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-check-driver-text-'));
  await mkdir(join(dir, 'exports'));
  await writeExport(join(dir, 'exports'), 'SPXK_1.xml', [{ ID: '1', GXSJ: '2026-11-01 08:00:00' }]);
  await writeFile(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  configFile = join(dir, 'licbridge.yaml');
  await writeFile(
    configFile,
    `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: check-driver-text }
catalog: ${join(EXAMPLE, 'catalog')}
sources:
  exports: { kind: xml-files, path: ./exports, recordPath: ${RECORD_PATH} }
  legacy: { kind: xml-files, path: ./exports, recordPath: ${RECORD_PATH} }
pipelines:
  food:
    source: exports
    stream: { table: ${RECORD_PATH}, key: ID, cursor: GXSJ }
    mapping: ${join(EXAMPLE, 'mappings', 'food-business-license.yaml')}
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [city]
signers:
  district-seal: { kind: local-sm2, keyFile: ${join(dir, 'key.pem')}, sealId: "3702110000001" }
targets:
  city: { kind: front-db, client: sqlite, path: ./front.db, dataSource: "11370211MB12345672" }
`,
  );
});

afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe("config check --connect: a driver's words in a problem", () => {
  it('hides a value they quote and a URL password, at a stream, a source and a target', async () => {
    const xml = sourceKinds.find('xml-files');
    if (xml === undefined) throw new Error('xml-files is a source kind');
    vi.spyOn(sourceKinds, 'require').mockReturnValue({
      ...xml,
      open: async (name: string) =>
        ({
          checkConnection: async () => {
            if (name === 'legacy') throw new Error(said('connect failed'));
          },
          checkStream: async () => {
            throw new Error(said('stream read failed'));
          },
          close: async () => {},
        }) as unknown as Awaited<ReturnType<typeof xml.open>>,
    });
    const front = targetKinds.find('front-db');
    vi.spyOn(targetKinds, 'find').mockReturnValue(
      front && {
        ...front,
        checkConnection: async () => {
          throw new Error(said('exchange table check failed'));
        },
      },
    );
    const config = await loadConfig({ file: configFile, cwd: dir });
    const problems = await checkConnections(config, 5000, createLogger({ level: 'silent' }));
    const at = (path: string) => problems.find((p) => p.path === path)?.message;
    expect(at('pipelines.food.stream')).toBe(
      "stream read failed: Duplicate entry '***' for key 'uk_holder' (via postgres://***@db/lic)",
    );
    expect(at('sources.legacy')).toBe(
      "source legacy: not reachable: connect failed: Duplicate entry '***' for key 'uk_holder' (via postgres://***@db/lic)",
    );
    expect(at('targets.city')).toBe(
      "exchange table check failed: Duplicate entry '***' for key 'uk_holder' (via postgres://***@db/lic)",
    );
    const text = JSON.stringify(problems);
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(PASSWORD);
  });
});
