/**
 * Text from outside (a platform's or a gateway's error or reason) is scrubbed by scrubPersonal
 * before it is stored or printed. It only cut runs of seven or more digits: an ID or mobile number
 * written in its groups (`110101-900307-123`, `138-0013-8000`) has none and passed whole, and an
 * 18-digit number in groups kept its area code and sequence (`110105-****1231-002X`). The machine
 * token kept of a platform's failure, an HTTP failure's reason and a gateway's message id showed
 * them. Numbers are now masked by their shapes too, as records mask them (`1101**-********-002X`,
 * `***-****-8000`), a character hidden by either rule hidden and the text's separators kept where
 * they stand; other identifiers stay as they were.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storableMessageId } from '../../adapters/platforms/notify/notify-target.js';
import { errorFromAnswer, errorFromStatus } from '../../adapters/platforms/shared/http-failure.js';
import { machineToken } from '../../adapters/platforms/shared/platform-text.js';
import { scrubPersonal } from '../../core/scrub.js';

const scrub = (text: string) => scrubPersonal(text, [], () => '***');

// Synthetic numbers built here: an area code, a birth date, a sequence; a mobile number's groups.
const AREA = '110105';
const BIRTH = '19491231';
const SEQ = '002X';
const OLD_BIRTH = '490307';
const OLD_SEQ = '123';
const MOBILE = ['138', '0013', '8000'];

const wide = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Grouped personal numbers: ID numbers (18 and 15 digits) and mobile numbers, with each separator. */
const GROUPED = [
  `${AREA}-${BIRTH}-${SEQ}`,
  `${AREA} ${BIRTH} ${SEQ}`,
  `${AREA} ${BIRTH}-${SEQ}`,
  `${AREA}-${OLD_BIRTH}-${OLD_SEQ}`,
  `${AREA} ${OLD_BIRTH} ${OLD_SEQ}`,
  MOBILE.join('-'),
  MOBILE.join(' '),
];

/** Whether `shown` holds none of the groups of `number` before its last one. */
function hidesGroups(shown: string, number: string): boolean {
  const groups = number.split(/[-－ 　]/).slice(0, -1);
  return groups.length > 0 && groups.every((g) => !shown.includes(g));
}

describe('scrubPersonal and numbers written in groups', () => {
  it('hides an ID number in groups as the whole number is hidden, its separators kept', () => {
    expect(scrub(`证件号码 ${AREA}-${BIRTH}-${SEQ} 校验失败`)).toBe('证件号码 1101**-********-002X 校验失败');
    expect(scrub(`id ${AREA} ${BIRTH}-${SEQ}`)).toBe('id 1101** ********-002X');
    // The whole number keeps its last four only, as it did.
    expect(scrub(`id ${AREA}${BIRTH}${SEQ}`)).toBe('id **************002X');
  });

  it('hides a 15-digit ID number in groups and a mobile number in groups', () => {
    expect(scrub(`id=${AREA}-${OLD_BIRTH}-${OLD_SEQ};`)).toBe('id=1101**-*****7-123;');
    expect(scrub(`tel ${MOBILE.join('-')} busy`)).toBe('tel ***-****-8000 busy');
    expect(scrub(`tel ${MOBILE.join(' ')}`)).toBe('tel *** **** 8000');
    expect(scrub(`tel +86 ${MOBILE.join('-')}`)).toBe('tel +** ***-****-8000');
  });

  it('hides the groups of any grouped number, in half-width or full-width', () => {
    for (const n of GROUPED) {
      for (const form of [n, wide(n)]) {
        const shown = scrub(`号码 ${form} 不存在`);
        expect(hidesGroups(shown, form), `${form}: ${shown}`).toBe(true);
        expect(shown.startsWith('号码 ') && shown.endsWith(' 不存在')).toBe(true);
        expect(shown.length).toBe(`号码 ${form} 不存在`.length);
      }
    }
  });

  it('hides a passport number, which keeps fewer characters than a run of its digits', () => {
    expect(scrub('holder E12345678 refused')).toBe('holder E*******8 refused');
  });

  it('masks what it left again as it stands', () => {
    for (const n of GROUPED) {
      const once = scrub(`a ${n}, b ${wide(n)}, c (${n})`);
      expect(scrub(once)).toBe(once);
    }
  });

  it('leaves codes, dates, run ids and groups that are no number of a person as they were', () => {
    const run = randomUUID();
    for (const text of [
      `run ${run} started 2026-12-05T10:00:00Z`,
      'code E1007 at 2026-12-05',
      'ERR-2024-0042',
      'sms-2026-0042',
      'zzbh: required (number)',
      // A middle group that is no date.
      `${AREA}-991399-${OLD_SEQ}`,
    ]) {
      expect(scrub(text)).toBe(text);
    }
  });
});

describe('what keeps text from outside by scrubPersonal', () => {
  const where = { target: 'province', origin: 'https://platform.example', now: 0 };

  it('the machine token of a platform failure hides a grouped number', () => {
    for (const n of GROUPED.map((g) => g.replace(/ /g, '-'))) {
      expect(hidesGroups(machineToken(n) ?? n, n), n).toBe(true);
      expect(hidesGroups(machineToken(`${n}: 证件号码校验失败`) ?? n, n), n).toBe(true);
    }
    expect(machineToken(`ID_${AREA}-${BIRTH}-${SEQ}_INVALID`)).toBe('ID_1101**-********-002X_INVALID');
  });

  it("an HTTP failure's reason and a 200's refusal hide a grouped number", () => {
    for (const n of GROUPED.map((g) => g.replace(/ /g, '-'))) {
      const body = JSON.stringify({ code: 1, reason: n });
      const status = errorFromStatus(400, body, undefined, where);
      const answer = errorFromAnswer(1, body, where);
      expect(hidesGroups(String(status.context.reason), n), n).toBe(true);
      for (const e of [status, answer]) expect(hidesGroups(e.message, n), `${n}: ${e.message}`).toBe(true);
    }
    expect(errorFromStatus(400, '{"reason":"E1007"}', undefined, where).message).toContain('(E1007)');
  });

  it('a gateway message id holding a grouped number is kept only as a digest', () => {
    for (const n of GROUPED) {
      const id = `ack-${n.replace(/ /g, '-')}`;
      expect(storableMessageId(id, 'u-42')).toMatch(/^sha256:[0-9a-f]{32}$/);
    }
    expect(storableMessageId('sms-2026-0042', 'u-42')).toBe('sms-2026-0042');
  });
});
