/**
 * Face fields may be named in Chinese, as the catalog entry names them (`surface.法定代表人`). A
 * field so named holds a person's name, ID number or phone as much as `legalRepresentative` or
 * `fddbr` does, and a reason must not show it in clear: neither the catalog's reason nor the
 * mapping's. Fields naming no person (`经营项目`, `经营场所`) stay shown.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { isPersonalPath, maskPersonal, showValue } from '../../catalog/personal.js';
import { compileMappingText } from '../../mappings/compile.js';
import { DEMO_TYPE, demoLicense } from './fixtures.js';

const ENTRY = `code: ${DEMO_TYPE}
name: 食品经营许可证
defineAuthority: { name: 青岛市市场监督管理局, code: 11370200MB12345674 }
holderCategory: legal-person
surface:
  type: object
  additionalProperties: false
  properties:
    法定代表人: { type: string, maxLength: 2 }
    负责人身份证号码: { type: string, maxLength: 4 }
    联系电话: { type: string, maxLength: 4 }
    经营项目: { type: string, maxLength: 2 }
`;

describe('face fields named in Chinese', () => {
  it('are personal when they name a person, a person’s document or phone', () => {
    for (const field of [
      '法定代表人',
      '法定代表人姓名',
      '法人',
      '负责人',
      '经营者',
      '联系人',
      '经办人',
      '申请人',
      '投资人',
      '持证人',
      '姓名',
      '身份证号码',
      '证件号码',
      '联系电话',
      '手机号码',
    ]) {
      expect(isPersonalPath(`surface.${field}`), field).toBe(true);
    }
    for (const field of ['经营项目', '经营场所', '主体业态', '有效期限', '发证机关']) {
      expect(isPersonalPath(`surface.${field}`), field).toBe(false);
    }
  });

  it('are masked as names, documents or phones', () => {
    expect(maskPersonal('surface.法定代表人', '张三丰')).toBe('张**');
    expect(maskPersonal('surface.姓名', '张三丰')).toBe('张**');
    expect(maskPersonal('surface.负责人身份证号码', '11010519491231002X')).toBe('1101**********002X');
    expect(maskPersonal('surface.联系电话', '053288886666')).toBe('********6666');
    expect(showValue('surface.法定代表人', '张三丰')).toBe('张**');
    expect(showValue('surface.经营项目', '散装食品销售')).toBe('散装食品销售');
  });

  it('are masked in the catalog’s reasons', () => {
    const catalog = buildCatalog([{ file: '/c/entry.yaml', text: ENTRY }]);
    const license = demoLicense();
    license.surface = {
      法定代表人: '张三丰',
      负责人身份证号码: 'E12345678',
      联系电话: '053288886666',
      经营项目: '散装食品销售',
    };
    const values = Object.fromEntries(catalog.validate(license, '2026-03-01').map((r) => [r.path, r.value]));
    expect(values).toEqual({
      'surface.法定代表人': '张**',
      'surface.负责人身份证号码': 'E*******8',
      'surface.联系电话': '********6666',
      'surface.经营项目': '散装食品销售',
    });
  });

  it('are masked in the mapping’s reasons, the column not listed as personal', () => {
    const mapping = compileMappingText(
      'fields:\n  surface.法定代表人: { from: FDDBR, transform: [number] }\n',
      '/maps/m.yaml',
    );
    const result = mapping.map({ FDDBR: '张三丰' });
    expect(result.ok).toBe(false);
    const reasons = result.ok ? [] : result.reasons;
    expect(reasons.map((r) => [r.code, r.value])).toEqual([['LB_MAP_NUMBER', '张**']]);
    expect(JSON.stringify(reasons)).not.toContain('张三丰');
  });
});
