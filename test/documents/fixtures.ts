/** A demo food business license and a face template for it, as the document tests use them. */

import type { FaceTemplate } from '../../adapters/documents/face/face-template.js';
import type { License } from '../../catalog/license.js';

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

export const foodTemplate: FaceTemplate = {
  page: { width: 297, height: 210 },
  border: { inset: 8, width: 1.2, color: '#B22222' },
  texts: [
    { text: '食品经营许可证', x: 0, y: 22, width: 297, size: 11, font: '黑体', align: 'center' },
    { field: 'holder.name', prefix: '经营者名称：', x: 30, y: 55, width: 130, size: 4.5 },
    { field: 'holder.id', prefix: '统一社会信用代码：', x: 30, y: 67, width: 130, size: 4.5 },
    {
      field: 'surface.legalRepresentative',
      prefix: '法定代表人（负责人）：',
      x: 30,
      y: 79,
      width: 130,
      size: 4.5,
    },
    { field: 'surface.premises', prefix: '经营场所：', x: 30, y: 91, width: 130, size: 4.5, maxLines: 2 },
    { field: 'surface.businessForm', prefix: '主体业态：', x: 30, y: 110, width: 130, size: 4.5 },
    {
      field: 'surface.businessItems',
      prefix: '经营项目：',
      x: 30,
      y: 122,
      width: 130,
      size: 4.5,
      maxLines: 3,
    },
    { field: 'number', prefix: '许可证编号：', x: 175, y: 55, width: 100, size: 4.5 },
    { field: 'validTo', prefix: '有效期至：', format: 'date', x: 175, y: 67, width: 100, size: 4.5 },
    { field: 'issuer.name', prefix: '发证机关：', x: 175, y: 160, width: 100, size: 4.5 },
    { field: 'issueDate', prefix: '签发日期：', format: 'date', x: 175, y: 172, width: 100, size: 4.5 },
  ],
  seal: { x: 200, y: 140, width: 42, height: 42 },
  qr: { x: 30, y: 150, size: 30 },
};
