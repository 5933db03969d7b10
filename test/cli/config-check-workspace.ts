// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * A folder `licbridge config check` can read whole: the demo department's catalog and mappings,
 * an empty legacy database, an owner-only seal key read through `${file:…}`, and a config whose
 * ledger URL and province auth a test chooses. Nothing in it is ever run. And the secrets a test
 * writes into it, and where in the config text a warning is to name one.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

/** A secret made by the test, so a value found in the output can only have come from the config. */
export const madeSecret = (what: string): string => `${what}-${randomBytes(8).toString('hex')}`;

/** Where `needle` starts in `text`, 1-based (`line:column`), as a config check warning names it. */
export function positionIn(text: string, needle: string): string {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  expect(line).toBeGreaterThanOrEqual(0);
  return `${line + 1}:${(lines[line] ?? '').indexOf(needle) + 1}`;
}

export interface ConfigCheckWorkspace {
  dir: string;
  /** The config file. */
  file: string;
  /** Its text, for the line a problem names. */
  config: string;
  cleanup(): Promise<void>;
}

export function configCheckYaml(options: { ledgerUrl?: string; provinceAuth?: string } = {}): string {
  return `ledger: { url: "${options.ledgerUrl ?? 'sqlite://./ledger.db'}" }
queue: { redis: "redis://127.0.0.1:6379", prefix: cfgcheck }
catalog: ./catalog
sources:
  market-food: { kind: sqlite, path: ./legacy.db }
pipelines:
  food:
    source: market-food
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ./mappings/food-business-license.yaml
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]
signers:
  district-seal:
    kind: local-sm2
    key: "\${file:./seal.key.pem}"
    sealId: "3702110000001"
targets:
  province:
    kind: rest-json
    url: "http://127.0.0.1:9"
    auth: ${options.provinceAuth ?? '{ scheme: none }'}
`;
}

/** The folder, with `files` (name → text, written owner-only) beside the config. */
export async function configCheckWorkspace(
  prefix: string,
  options: { ledgerUrl?: string; provinceAuth?: string; files?: Record<string, string> } = {},
): Promise<ConfigCheckWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), `licbridge-${prefix}-`));
  await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
  await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
  await writeFile(join(dir, 'legacy.db'), '');
  await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  for (const [name, text] of Object.entries(options.files ?? {})) {
    await writeFile(join(dir, name), text, { mode: 0o600 });
  }
  const config = configCheckYaml(options);
  const file = join(dir, 'licbridge.yaml');
  await writeFile(file, config);
  return { dir, file, config, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
