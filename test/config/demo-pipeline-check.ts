/**
 * `config check` of the demo's food pipeline alone in a config of its own, written with its mapping
 * to a folder the file's tests share. The config's lines stay where the tests quoting a line expect
 * them: the source at line 4, the stream at line 8, the issuer at line 11, an area code (only when
 * given) at line 12.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import type { Problem } from '../../core/errors.js';
import { checkConfigFiles } from '../../pipelines/config-check.js';

const DEMO = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
const DEMO_ISSUER = '11370211MB12345672';

export interface DemoPipelineEdits {
  /** Rewrites the demo's mapping file; an edit that changes nothing fails the test. */
  mapping?: (demo: string) => string;
  /** The source `market-food` as a YAML flow map (the demo's SQLite file unless given). */
  source?: string;
  /** More of the stream's flow map, after its cursor (`, lagMs: 5000`). */
  streamExtra?: string;
  issuerCode?: string;
  areaCode?: string;
}

export interface DemoPipelineCheck {
  /** The check of the demo pipeline as `edits` change it. */
  problemsWith(edits?: DemoPipelineEdits): Promise<Problem[]>;
  /** The config file the check reads. */
  configFile(): string;
}

/**
 * The check, in a folder made before the file's tests (named from `prefix`) and removed after them.
 * Call it at the top of a test file.
 */
export function demoPipelineCheck(prefix: string): DemoPipelineCheck {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const configFile = () => join(dir, 'licbridge.yaml');
  const problemsWith = async (edits: DemoPipelineEdits = {}) => {
    const mapping = join(dir, 'mapping.yaml');
    const demo = await readFile(join(DEMO, 'mappings', 'food-business-license.yaml'), 'utf8');
    const edited = edits.mapping ? edits.mapping(demo) : demo;
    if (edits.mapping) expect(edited).not.toBe(demo);
    await writeFile(mapping, edited);
    const file = configFile();
    const text = [
      'ledger: { url: "sqlite://./ledger.db" }',
      `catalog: ${join(DEMO, 'catalog')}`,
      'sources:',
      `  market-food: ${edits.source ?? '{ kind: sqlite, path: ./legacy.db }'}`,
      'pipelines:',
      '  food-business-licenses:',
      '    source: market-food',
      `    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ${edits.streamExtra ?? ''} }`,
      `    mapping: ${mapping}`,
      '    licenseType: 11370200MB12345674001',
      `    issuer: { name: 青岛西海岸新区市场监督管理局, code: ${edits.issuerCode ?? DEMO_ISSUER} }`,
      ...(edits.areaCode === undefined ? [] : [`    areaCode: "${edits.areaCode}"`]),
      '    signer: district-seal',
      '    targets: [province]',
      'signers:',
      '  district-seal: { kind: remote, url: "http://127.0.0.1:9", sealId: "3702110000001", auth: { scheme: none } }',
      'targets:',
      '  province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } }',
      '',
    ].join('\n');
    await writeFile(file, text);
    return checkConfigFiles(parseConfig(text, { file, env: {} }) as never);
  };
  return { problemsWith, configFile };
}
