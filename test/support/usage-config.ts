/**
 * A config that loads (a seal key, an empty catalog) and names services nothing answers, for the
 * usage errors a command gives before it opens any of them.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';

const configText = (prefix: string) => `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: "${prefix}" }
catalog: ./catalog
sources:
  market-food: { kind: sqlite, path: ./legacy.db }
pipelines:
  food:
    source: market-food
    stream: { table: T, key: ID, cursor: GXSJ }
    mapping: ./mapping.yaml
    licenseType: 11370200MB1234567X001
    issuer: { name: 发证机关, code: 11370211MB1234567X }
    areaCode: "370211"
    signer: seal
    targets: [province]
signers:
  seal: { kind: local-sm2, key: "\${file:./seal.key.pem}", sealId: "37021100001" }
targets:
  province: { kind: rest-json, url: "http://127.0.0.1:1", auth: { scheme: none } }
`;

export interface UsageConfig {
  /** The folder, read inside the tests and hooks once `beforeAll` has run. */
  readonly dir: string;
  /** The config file in it. */
  readonly file: string;
}

/**
 * That config (pipeline `food`, queue prefix `prefix`) in a fresh folder named `${folder}<random>`,
 * written before the calling file's or `describe` block's tests and removed after them.
 */
export function usageConfig(prefix: string, folder: string): UsageConfig {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), folder));
    await mkdir(join(dir, 'catalog'));
    await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    await writeFile(join(dir, 'licbridge.yaml'), configText(prefix));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const made: UsageConfig = {
    get dir() {
      if (!dir) throw new Error('usage config: not written yet (read outside its tests)');
      return dir;
    },
    get file() {
      return join(made.dir, 'licbridge.yaml');
    },
  };
  return made;
}
