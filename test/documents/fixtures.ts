/** A demo food business license and its type's face template, as the document tests use them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import type { FaceTemplate } from '../../adapters/documents/face/face-template.js';
import type { License } from '../../catalog/license.js';
import { ROOT } from '../support/cli.js';

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

/** The demo catalog's own template for the food business license (examples/west-coast/catalog). */
export const foodTemplate: FaceTemplate = (
  parse(readFileSync(join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml'), 'utf8')) as {
    face: FaceTemplate;
  }
).face;
