import { fileURLToPath } from 'node:url';
import type { InputValue } from '../../mappings/types.js';

export const DEMO_MAPPING_FILE = fileURLToPath(
  new URL('../../examples/west-coast/mappings/food-business-license.yaml', import.meta.url),
);

/** One row of T_SPXK_XKZ as a connector hands it over (CHAR columns still padded). */
export function demoValues(overrides: Record<string, InputValue> = {}): Record<string, InputValue> {
  return {
    ID: 1,
    XKZBH: 'JY23702110012345    ',
    JYZMC: '青岛海滨食品有限公司',
    TYSHXYDM: '91370406L24894136J',
    FDDBR: '张三丰',
    FDDBRSFZ: '11010519491231002x',
    JYCS: '青岛市黄岛区长江中路1号',
    ZTYT: '食品销售经营者',
    JYXM: '预包装食品销售（含冷藏冷冻食品）；散装食品销售；',
    FZRQ: '20210315',
    YXQZ: '20260314',
    FZJG: '青岛西海岸新区市场监督管理局',
    ZT: '1',
    XZQH: '370211',
    GXSJ: '2024-01-02 03:04:05.123456',
    // 原证书编号: NULL unless the row renews a license.
    YZSBH: null,
    ...overrides,
  };
}
