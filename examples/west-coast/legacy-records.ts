/**
 * The vocabulary of the demo department's legacy food-license system: shop names, people,
 * roads, business items. Kept apart from the generator so `update-legacy-db.ts` draws new rows
 * from the same lists.
 */

import { mulberry32 } from '../../core/seeded-random.js';

/** Drawing helpers over one PRNG. */
export interface Draw {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** One of the values, with the given weights. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
}

export function draw(seed: number): Draw {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    chance: (p) => next() < p,
    weighted(choices) {
      const total = choices.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [value, weight] of choices) {
        r -= weight;
        if (r < 0) return value;
      }
      return (choices[choices.length - 1] as readonly [(typeof choices)[number][0], number])[0];
    },
  };
}

export const ISSUER = '青岛西海岸新区市场监督管理局';
export const AREA = '370211';

export type BusinessForm = '食品销售经营者' | '餐饮服务经营者' | '单位食堂';

export const FORMS: readonly (readonly [BusinessForm, number])[] = [
  ['食品销售经营者', 50],
  ['餐饮服务经营者', 42],
  ['单位食堂', 8],
];

const BRAND = [
  '鑫',
  '盛',
  '源',
  '福',
  '顺',
  '隆',
  '兴',
  '旺',
  '佳',
  '和',
  '海',
  '琴',
  '岛',
  '德',
  '祥',
  '瑞',
  '康',
  '泰',
  '金',
  '润',
  '宏',
  '利',
  '嘉',
  '汇',
  '恒',
  '丰',
  '美',
  '悦',
  '家',
  '乐',
  '鲜',
  '品',
];
const PLACE = ['', '', '黄岛区', '西海岸新区', '青岛', '青岛西海岸新区'];
const SALES_SUFFIX = ['超市', '便利店', '食品商行', '副食品店', '生鲜超市', '食品有限公司', '商贸有限公司'];
const CATERING_SUFFIX = [
  '餐饮店',
  '饭店',
  '小吃店',
  '烧烤店',
  '面馆',
  '饺子馆',
  '海鲜酒楼',
  '餐饮管理有限公司',
];
const CANTEEN_OWNER = ['机械有限公司', '电子有限公司', '中学', '小学', '实验幼儿园', '港务有限公司', '医院'];

/** A plausible business name for the form. */
export function businessName(d: Draw, form: BusinessForm): string {
  const brand = `${d.pick(BRAND)}${d.pick(BRAND)}${d.chance(0.3) ? d.pick(BRAND) : ''}`;
  if (form === '单位食堂') return `青岛${brand}${d.pick(CANTEEN_OWNER)}食堂`;
  const suffix = d.pick(form === '食品销售经营者' ? SALES_SUFFIX : CATERING_SUFFIX);
  // Companies register with the city name; individual shops with the district's.
  const place = suffix.endsWith('有限公司') ? '青岛' : d.pick(PLACE);
  return `${place}${brand}${suffix}`;
}

const SURNAME = [
  '王',
  '张',
  '刘',
  '李',
  '于',
  '孙',
  '薛',
  '宋',
  '姜',
  '丁',
  '陈',
  '杨',
  '赵',
  '徐',
  '高',
  '逄',
  '臧',
  '管',
  '隋',
  '纪',
  '崔',
  '曲',
  '周',
  '吴',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀',
  '霞',
  '平',
  '刚',
  '桂',
  '英',
  '海',
  '波',
  '建',
  '国',
  '红',
  '玉',
  '梅',
  '志',
  '文',
];

/** A legal representative's name: surname and one or two given characters. */
export function personName(d: Draw): string {
  return `${d.pick(SURNAME)}${d.pick(GIVEN)}${d.chance(0.65) ? d.pick(GIVEN) : ''}`;
}

const ROADS = [
  '长江中路',
  '长江西路',
  '黄河东路',
  '井冈山路',
  '峨眉山路',
  '武夷山路',
  '珠江路',
  '香江路',
  '嘉陵江路',
  '漓江西路',
  '庐山路',
  '太行山路',
  '紫金山路',
  '昆仑山路',
  '淮河东路',
  '滨海大道',
  '阿里山路',
  '五台山路',
  '齐长城路',
  '灵山湾路',
  '江山中路',
  '海南岛路',
];

/** A premises address in the district. */
export function address(d: Draw): string {
  const base = `山东省青岛市黄岛区${d.pick(ROADS)}${d.int(1, 999)}号`;
  const detail = d.weighted<string>([
    ['', 4],
    [`${d.int(1, 30)}号楼网点`, 3],
    [`${d.int(1, 3)}层`, 2],
    [`${d.int(1, 20)}号楼${d.int(1, 4)}单元${d.int(1, 6)}0${d.int(1, 4)}户`, 1],
  ]);
  return base + detail;
}

const ITEMS: Readonly<Record<BusinessForm, readonly string[]>> = {
  食品销售经营者: [
    '预包装食品销售（含冷藏冷冻食品）',
    '散装食品销售（含冷藏冷冻食品）',
    '特殊食品销售（保健食品）',
    '特殊食品销售（婴幼儿配方乳粉）',
    '其他类食品销售',
  ],
  餐饮服务经营者: [
    '热食类食品制售',
    '冷食类食品制售',
    '生食类食品制售',
    '糕点类食品制售（含裱花蛋糕）',
    '自制饮品制售',
    '预包装食品销售（含冷藏冷冻食品）',
  ],
  单位食堂: ['热食类食品制售', '冷食类食品制售', '糕点类食品制售（不含裱花蛋糕）'],
};

/** One to four business items in the catalog's order, joined by the full-width `；` the system uses. */
export function businessItems(d: Draw, form: BusinessForm): string {
  const all = ITEMS[form];
  const chosen = all.filter((_, i) => i === 0 || d.chance(0.3)).slice(0, 4);
  return chosen.join('；');
}

// The small-catering registry (小餐饮登记) of the same bureau: one-person eateries registered to
// their operator, a natural person, rather than to a company.

const SNACKS = [
  '面馆',
  '水饺馆',
  '馄饨店',
  '烧烤',
  '包子铺',
  '快餐店',
  '麻辣烫',
  '煎饼铺',
  '排骨米饭',
  '海鲜小馆',
  '拉面馆',
  '砂锅店',
];

/** The sign over a small eatery (字号), built on the operator's surname; about 8% have none. */
export function shopSign(d: Draw, operator: string): string {
  if (d.chance(0.08)) return '';
  const surname = operator.charAt(0);
  const style = d.int(0, 2);
  if (style === 0) return `${surname}记${d.pick(SNACKS)}`;
  if (style === 1) return `老${surname}家${d.pick(SNACKS)}`;
  return `${d.pick(BRAND)}${d.pick(BRAND)}${d.pick(SNACKS)}`;
}

const CATERING_ITEMS = ['热食类食品制售', '冷食类食品制售', '自制饮品制售', '预包装食品销售'];

/** One to three business items, joined by the `、` the registry's form uses. */
export function cateringItems(d: Draw): string {
  return CATERING_ITEMS.filter((_, i) => i === 0 || d.chance(0.25))
    .slice(0, 3)
    .join('、');
}

/** The day the registry's upgrade changed how dates are typed in. */
export const DASHED_FROM = Date.UTC(2022, 6, 1);

const two = (n: number): string => String(n).padStart(2, '0');

/** A date as the registry types it: `yyyy/M/d` before its upgrade, `yyyy-MM-dd` after. */
export function registryDate(year: number, month: number, day: number, dashed: boolean): string {
  return dashed ? `${year}-${two(month)}-${two(day)}` : `${year}/${month}/${day}`;
}

/** A month and day that do not exist, as a clerk mistypes them. */
export function impossibleDay(d: Draw): readonly [number, number] {
  return d.pick([
    [2, 30],
    [2, 31],
    [4, 31],
    [6, 31],
    [9, 31],
    [11, 31],
  ] as const);
}

/** `yyyy-MM-dd HH:mm:ss` in office hours of `day`: the registry keeps update times to the second. */
export function registryTime(day: Date, d: Draw): string {
  const t = new Date(day.getTime() + d.int(8 * 3600, 18 * 3600) * 1000);
  return t.toISOString().slice(0, 19).replace('T', ' ');
}
