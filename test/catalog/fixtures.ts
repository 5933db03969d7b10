import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../../catalog/catalog.js';
import { buildIdentifier } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { ConfigError } from '../../core/errors.js';

export const DEMO_CATALOG_DIR = fileURLToPath(new URL('../../examples/west-coast/catalog/', import.meta.url));
export const DEMO_ENTRY_FILE = `${DEMO_CATALOG_DIR}food-business-license.yaml`;
export const DEMO_TYPE = '11370200MB12345674001';
export const DEMO_ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };

export async function demoEntryText(): Promise<string> {
  return readFile(DEMO_ENTRY_FILE, 'utf8');
}

/** A license valid for the demo entry. */
export function demoLicense(): License {
  return {
    identifier: buildIdentifier({
      typeCode: DEMO_TYPE,
      issuerCode: DEMO_ISSUER.code,
      serial: 'ABC123',
      version: 1,
    }),
    number: 'JY23702110012345',
    type: { name: '食品经营许可证', code: DEMO_TYPE },
    issuer: { ...DEMO_ISSUER },
    issueDate: '2021-03-15',
    validFrom: '2021-03-15',
    validTo: '2026-03-14',
    areaCode: '370211',
    holder: { name: '青岛海滨食品有限公司', idType: '001', id: '91370406L24894136J' },
    status: 'valid',
    surface: {
      legalRepresentative: '张三丰',
      premises: '青岛市黄岛区长江中路1号',
      businessForm: '食品销售经营者',
      businessItems: ['预包装食品销售（含冷藏冷冻食品）', '散装食品销售'],
    },
  };
}

/** The problems building a catalog of `text` as /catalog/food.yaml finds; none when it builds. */
export function entryProblems(text: string): ConfigError['problems'] {
  try {
    buildCatalog([{ file: '/catalog/food.yaml', text }]);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

/** The 1-based number of the first line of `text` that starts with `start` (0: none). */
export const lineStarting = (text: string, start: string) =>
  text.split('\n').findIndex((l) => l.startsWith(start)) + 1;
