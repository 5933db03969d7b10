/**
 * The demo department's second legacy table, T_XCY_DJZ: small-catering registrations, with
 * quirks of their own. Drawn from a PRNG stream of its own, so the food table's rows stay the
 * same whatever this table draws.
 */
import {
  AREA,
  address,
  cateringItems,
  DASHED_FROM,
  type Draw,
  ISSUER,
  impossibleDay,
  personName,
  registryDate,
  registryTime,
  shopSign,
} from './legacy-records.js';
import { residentId, ymd } from './resident-id.js';

const DAY = 86_400_000;

export const CATERING_TABLE = 'T_XCY_DJZ';

// XOR-ed into the seed: the catering table draws from a PRNG stream of its own.
export const CATERING_STREAM = 0xca7e4;

/**
 * Declared the way this registry's vendor did it: a row number as key and every other column
 * text, dates included. XH 序号 · DJZBH 登记证编号 (`XCY` + area + year + sequence, CHAR-padded,
 * some typed lowercase) · JYZXM 经营者姓名 (the holder, a natural person) · SFZHM 身份证号码 (some
 * with lowercase `x`, some old 15-digit numbers, a few mistyped) · ZH 字号 (empty when the shop
 * has no sign) · JYCS 经营场所 · JYXM 经营项目 (joined by `、`) · CYRS 从业人数 · DJRQ 登记日期 and
 * YXQZ 有效期至 (`yyyy/M/d` before the 2022-07 upgrade, `yyyy-MM-dd` after; a few impossible
 * dates) · FZJG 发证机关 · ZTDM 状态代码 (01 正常, 02 注销, 03 吊销, 04 停业) · XZQH 行政区划 ·
 * GXSJ 更新时间 to the second, so batch edits share one value.
 */
export const CATERING_DDL = `CREATE TABLE ${CATERING_TABLE} (
  XH INTEGER PRIMARY KEY,
  DJZBH CHAR(20),
  JYZXM VARCHAR(50),
  SFZHM CHAR(18),
  ZH VARCHAR(100),
  JYCS VARCHAR(300),
  JYXM VARCHAR(200),
  CYRS VARCHAR(4),
  DJRQ VARCHAR(10),
  YXQZ VARCHAR(10),
  FZJG VARCHAR(100),
  ZTDM CHAR(2),
  XZQH CHAR(6),
  GXSJ VARCHAR(19)
)`;

export const CATERING_COLUMNS = [
  'XH',
  'DJZBH',
  'JYZXM',
  'SFZHM',
  'ZH',
  'JYCS',
  'JYXM',
  'CYRS',
  'DJRQ',
  'YXQZ',
  'FZJG',
  'ZTDM',
  'XZQH',
  'GXSJ',
] as const;

export type CateringRecord = { XH: number } & Record<
  Exclude<(typeof CATERING_COLUMNS)[number], 'XH'>,
  string
>;

const CATERING_FIRST_DAY = Date.UTC(2018, 0, 1);
const CATERING_DAYS = (Date.UTC(2025, 11, 31) - CATERING_FIRST_DAY) / DAY;

/**
 * An operator's ID number as the registry holds it: mostly valid 18-digit numbers (3% with a
 * lowercase `x`), 3% pre-1999 15-digit numbers padded to CHAR(18), and 2% with a mistyped
 * check char — the rows that must be quarantined, never published.
 */
function operatorId(d: Draw): string {
  const roll = d.next();
  if (roll < 0.03) {
    // 15 digits: area, yyMMdd birth (born 1950–1979), 3-digit sequence; no check char.
    const birth = new Date(Date.UTC(1950, 0, 1) + d.int(0, 10956) * DAY);
    const ymd6 = ymd(birth).slice(2);
    return `${AREA}${ymd6}${String(d.int(1, 999)).padStart(3, '0')}`.padEnd(18, ' ');
  }
  const id = residentId(d);
  if (roll >= 0.05) return id;
  const check = id.charAt(17).toUpperCase();
  const others = '0123456789X'.replace(check, '');
  return id.slice(0, 17) + others.charAt(d.int(0, others.length - 1));
}

export function cateringRecords(d: Draw, rows: number): CateringRecord[] {
  const days = Array.from(
    { length: rows },
    () => new Date(CATERING_FIRST_DAY + d.int(0, CATERING_DAYS) * DAY),
  ).sort((a, b) => a.getTime() - b.getTime());
  const perYear = new Map<number, number>();
  const records = days.map((day, i): CateringRecord => {
    const year = day.getUTCFullYear();
    const seq = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, seq);
    const dashed = day.getTime() >= DASHED_FROM;
    const until = new Date(Date.UTC(year + 3, day.getUTCMonth(), day.getUTCDate() - 1));
    const operator = personName(d);
    // About 1% typed a day the month does not have; the expiry was computed from the true date.
    const [m, dd] = d.chance(0.01) ? impossibleDay(d) : [day.getUTCMonth() + 1, day.getUTCDate()];
    const number = `XCY${AREA}${year}${String(seq).padStart(4, '0')}`;
    return {
      XH: i + 1,
      DJZBH: (d.chance(0.04) ? number.toLowerCase() : number).padEnd(20, ' '),
      JYZXM: operator,
      SFZHM: operatorId(d),
      ZH: shopSign(d, operator),
      JYCS: address(d),
      JYXM: cateringItems(d),
      CYRS: String(d.int(1, 8)),
      DJRQ: registryDate(year, m, dd, dashed),
      YXQZ: registryDate(until.getUTCFullYear(), until.getUTCMonth() + 1, until.getUTCDate(), dashed),
      FZJG: ISSUER,
      ZTDM: d.weighted([
        ['01', 85],
        ['02', 8],
        ['03', 3],
        ['04', 4],
      ] as const),
      XZQH: AREA,
      GXSJ: registryTime(day, d),
    };
  });
  // A cancellation, revocation or closure is an edit some months later.
  const lastDay = CATERING_FIRST_DAY + CATERING_DAYS * DAY;
  records.forEach((r, i) => {
    if (r.ZTDM === '01') return;
    const day = (days[i] as Date).getTime();
    r.GXSJ = registryTime(new Date(Math.min(lastDay, day + d.int(60, 900) * DAY)), d);
  });
  // The yearly re-check (年度核查) stamps one time on each registration it touches: to the second,
  // so about a third of the rows share one of six values.
  const checks = [2019, 2020, 2021, 2022, 2023, 2024].map((y) =>
    registryTime(new Date(Date.UTC(y, 11, 20)), d),
  );
  records.forEach((r, i) => {
    const later = checks.filter(
      (c) => Date.parse(`${c.slice(0, 10)}T00:00:00Z`) > (days[i] as Date).getTime(),
    );
    if (r.ZTDM === '01' && later.length > 0 && d.chance(0.35)) r.GXSJ = d.pick(later);
  });
  return records;
}
