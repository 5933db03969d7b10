/**
 * A demo food business license and its type's face template, as the document tests use them; the
 * config and the seeded ledger that `sign files` tests start from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';

import type { FaceTemplate, FaceText } from '../../adapters/documents/face/face-template.js';
import { type LaidLine, layoutFace } from '../../adapters/documents/face/layout.js';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { CommitPageResult, Ledger } from '../../ledger/ledger.js';
import { ROOT } from '../support/cli.js';
import type { SealKit } from './seal-kit.js';

export function foodLicense(n = 1): License {
  return {
    identifier: `1.2.156.3005.2.11370200MB12345674001.11370211MB1234567X.${String(20240000 + n)}.001.F`,
    number: `JY23702110${String(n).padStart(6, '0')}`,
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB1234567X' },
    issueDate: '2024-05-06',
    validFrom: '2024-05-06',
    validTo: '2029-05-05',
    areaCode: '370211',
    holder: { name: `青岛海韵餐饮管理有限公司第${n}分店`, idType: '001', id: '91370211MA3C4XYZ0B' },
    status: 'valid',
    surface: {
      legalRepresentative: '王海',
      premises: '山东省青岛市黄岛区长江中路216号阿里山路交汇处东北角海韵广场一层101至108室',
      businessForm: '餐饮服务经营者（大型餐馆）',
      businessItems: [
        '热食类食品制售',
        '冷食类食品制售',
        '生食类食品制售',
        '自制饮品制售',
        '预包装食品（含冷藏冷冻食品）销售',
      ],
    },
  };
}

/**
 * The issuing unit of `signFilesConfig`'s pipeline, whose seal `district-seal` is: `sign files`
 * seals a version only when the unit recorded with it (payload and license id) is the seal's.
 */
export const DISTRICT_ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };

/**
 * License `n` as the `sign files` tests store it: issued by `DISTRICT_ISSUER`, serial `S` and `n`
 * in eight digits, version 1.
 */
export function storedFoodLicense(n: number): License {
  return {
    ...foodLicense(n),
    issuer: DISTRICT_ISSUER,
    identifier: `1.2.156.3005.2.11370200MB12345674001.${DISTRICT_ISSUER.code}.S${String(n).padStart(8, '0')}.001.F`,
  };
}

/** The demo catalog's own template for the food business license (examples/west-coast/catalog). */
export const foodTemplate: FaceTemplate = (
  parse(readFileSync(join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml'), 'utf8')) as {
    face: FaceTemplate;
  }
).face;

/**
 * A face field under test alone: the food template with `box` its only text (bound to the legal
 * representative), and license 3 whose legal representative is `value`.
 */
export function oneBoxFace(box: FaceText, value: string): { template: FaceTemplate; license: License } {
  const license = foodLicense(3);
  (license.surface as Record<string, unknown>).legalRepresentative = value;
  return { template: { ...foodTemplate, texts: [box] }, license };
}

/** The box the line-break tests lay a value in: 30 mm wide at 5 mm, six Chinese characters a line, never shrunk. */
export const WRAP_BOX = { width: 30, size: 5 } as const;

/** `value` laid out alone in `WRAP_BOX`, up to `maxLines` lines: its lines, once nothing overflowed. */
export function wrapInBox(value: string, maxLines = 4): LaidLine[] {
  const { width, size } = WRAP_BOX;
  const box = { field: 'surface.legalRepresentative', x: 60, y: 100, width, size, maxLines, minSize: size };
  const { template, license } = oneBoxFace(box, value);
  const layout = layoutFace(template, license);
  expect(layout.overflows).toEqual([]);
  return layout.lines;
}

/**
 * The config text of a pipeline `pipeline` of food business licenses (source `market-food`, target
 * `province` at a port nothing listens on) whose versions the signer `district` (the kit's holder,
 * seal id `district`) signs and the seal `district-seal` seals. `catalog` is the demo's unless
 * given; `lines` are added at the top level (`licenseFiles`, `trust`, `queue`); `target` replaces
 * the target's definition (one with `auth: { scheme: none }`).
 */
export function signFilesConfig(
  kit: SealKit,
  options: {
    ledgerUrl: string;
    pipeline: string;
    catalog?: string;
    target?: string;
    lines?: readonly string[];
  },
): string {
  const target =
    options.target ?? 'province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } }';
  return [
    `ledger: { url: "${options.ledgerUrl}" }`,
    `catalog: ${options.catalog ?? join(ROOT, 'examples/west-coast/catalog')}`,
    'log: { level: warn }',
    'sources: { market-food: { kind: sqlite, path: ./legacy.db } }',
    'pipelines:',
    `  ${options.pipeline}:`,
    '    source: market-food',
    '    stream: { table: T, key: ID }',
    `    mapping: ${join(ROOT, 'examples/west-coast/mappings/food-business-license.yaml')}`,
    '    licenseType: 11370200MB12345674001',
    `    issuer: { name: ${DISTRICT_ISSUER.name}, code: ${DISTRICT_ISSUER.code} }`,
    '    signer: district',
    '    targets: [province]',
    `targets: { ${target} }`,
    `signers: { district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 } }`,
    `seals: { district-seal: { file: ${kit.sealFile}, signer: district } }`,
    ...(options.lines ?? []),
    '',
  ].join('\n');
}

/**
 * Starts run `runId` of `pipeline` and commits one page that creates the first version of
 * `license(n)` for each `n` (source `market-food`, source key `n`), checkpointed at the largest.
 */
export async function commitLicenses(
  ledger: Ledger,
  run: { pipeline: string; runId: string; mode: 'full' | 'incremental' },
  ns: readonly number[],
  license: (n: number) => License,
): Promise<CommitPageResult> {
  const { pipeline, runId } = run;
  await ledger.startRun(run);
  return ledger.commitPage({
    pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: String(Math.max(...ns)) }),
    rowsRead: ns.length,
    candidates: ns.map((n) => {
      const l = license(n);
      return {
        licenseId: l.identifier.slice(0, -6),
        sourceKey: String(n),
        contentHash: contentHash(l),
        status: 'valid' as const,
        lineage: {
          pipeline,
          source: 'market-food',
          sourceKey: String(n),
          runId,
          catalogVersion: 'c',
          mappingVersion: 'm',
        },
        build: (v: number) => ({
          ...l,
          identifier: `${l.identifier.slice(0, -5)}${String(v).padStart(3, '0')}.F`,
        }),
      };
    }),
    quarantined: [],
  });
}

/** 1 to `n`. */
export const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
