/**
 * The national holiday arrangements licbridge ships, one entry per year, as the State Council
 * General Office (国务院办公厅) publishes them each year in its notice on the arrangement of some
 * holidays (《国务院办公厅关于<year>年部分节假日安排的通知》). Each entry names its notice.
 *
 * Shipped years:
 * - 2026: 《国务院办公厅关于2026年部分节假日安排的通知》, dated 2025-11-04, released by Xinhua
 *   the same day.
 *
 * Not shipped:
 * - 2027: no notice for 2027 could be found when this file was last updated (2026-11-30), so
 *   nothing is guessed. Until a year is here or in `calendar.years`, it counts Monday to Friday
 *   and `licbridge status` says the year's arrangement is missing. When the notice appears, add it
 *   under `calendar.years` in the config (docs/lifecycle.md shows how).
 *
 * `holidays` lists every day off of the arrangement (weekend days inside a holiday block too, so
 * the list reads like the notice); `workdays` lists the adjusted working weekends (调休上班).
 */

export interface YearArrangement {
  /** The notice the days come from. */
  readonly source: string;
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
}

/** `YYYY-MM-DD` for each day from `first` to `last` of one month. */
function days(month: string, first: number, last: number): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d++) out.push(`${month}-${String(d).padStart(2, '0')}`);
  return out;
}

export const SHIPPED_ARRANGEMENTS: Readonly<Record<string, YearArrangement>> = {
  '2026': {
    source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)',
    holidays: [
      ...days('2026-01', 1, 3), // 元旦: 1月1日（周四）至3日（周六）
      ...days('2026-02', 15, 23), // 春节: 2月15日（腊月二十八、周日）至23日（正月初七、周一）
      ...days('2026-04', 4, 6), // 清明节: 4月4日（周六）至6日（周一）
      ...days('2026-05', 1, 5), // 劳动节: 5月1日（周五）至5日（周二）
      ...days('2026-06', 19, 21), // 端午节: 6月19日（周五）至21日（周日）
      ...days('2026-09', 25, 27), // 中秋节: 9月25日（周五）至27日（周日）
      ...days('2026-10', 1, 7), // 国庆节: 10月1日（周四）至7日（周三）
    ],
    workdays: [
      '2026-01-04', // 元旦: 1月4日（周日）上班
      '2026-02-14', // 春节: 2月14日（周六）上班
      '2026-02-28', // 春节: 2月28日（周六）上班
      '2026-05-09', // 劳动节: 5月9日（周六）上班
      '2026-09-20', // 国庆节: 9月20日（周日）上班
      '2026-10-10', // 国庆节: 10月10日（周六）上班
    ],
  },
};
