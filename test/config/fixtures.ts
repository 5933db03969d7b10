import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { loadConfig } from '../../config/loader.js';
import { ConfigError, type Problem } from '../../core/errors.js';

/** The demo department's config, as a user writes it. */
export const VALID_CONFIG = `ledger: { url: "sqlite://./data/ledger.db" }
queue: { redis: "\${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}", prefix: licbridge-demo }
catalog: ./catalog
sources:
  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }
pipelines:
  food-business-licenses:
    source: market-food
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ./mappings/food-business-license.yaml
    licenseType: 11370200MB1234567X001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB1234567X }
    areaCode: "370211"
    signer: district-seal
    targets: [province]
signers:
  district-seal: { kind: local-sm2, key: "\${file:./data/keys/seal.key.pem}", sealId: "37021100001" }
targets:
  province: { kind: rest-json, url: "\${env:LICBRIDGE_PROVINCE_URL:-http://127.0.0.1:7801}", auth: { scheme: hmac, appKey: demo, secret: "\${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}" } }
`;

/** A seal key made by the tests: the loader must hand the `${file:…}` text over unchanged. */
export const KEY_PEM = generateSm2KeyPair().privateKeyPem;

const created: string[] = [];
afterAll(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh folder holding `licbridge.yaml` with `text` and any extra files. */
export async function writeConfig(text: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-config-'));
  created.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), content);
  }
  const file = join(dir, 'licbridge.yaml');
  await writeFile(file, text);
  return file;
}

/** Load `text` and return the problems it is rejected with (fails the test if it loads). */
export async function problemsOf(
  text: string,
  env: NodeJS.ProcessEnv = {},
  files: Record<string, string> = { 'data/keys/seal.key.pem': KEY_PEM },
): Promise<{ file: string; problems: readonly Problem[]; error: ConfigError }> {
  const file = await writeConfig(text, files);
  const error = await loadConfig({ file, env }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const ce = error as ConfigError;
  return { file, problems: ce.problems, error: ce };
}

/** 1-based line of the first line of `text` containing `needle`, and the column where it starts. */
export function positionOf(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i]?.indexOf(needle) ?? -1;
    if (col >= 0 && ++seen === occurrence) return { line: i + 1, column: col + 1 };
  }
  throw new Error(`fixture does not contain ${needle}`);
}
