/**
 * A unified social credit code (GB 32100: 18 characters, letters among the digits) or a resident ID
 * number ending in X (GB 11643), echoed in a platform's words, keeps only its last four characters
 * wherever that text is stored or shown: a rejection's reasons (dead letters), the machine token of a
 * failure (`last_error`), a failed job's reason and a failed check's message (status lines). An
 * individual business's credit code (`92…`) names a person as an ID number does. Cutting only runs
 * of seven or more digits left a credit code whole but for its first digits (`****0211MA3098E10F`).
 */
import { describe, expect, it } from 'vitest';
import { storableMessageId } from '../../adapters/platforms/notify/notify-target.js';
import { errorFromAnswer } from '../../adapters/platforms/shared/http-failure.js';
import { machineToken, scrubPlatformReason } from '../../adapters/platforms/shared/platform-text.js';
import { ErrorCodes, failureMessage, LicbridgeError } from '../../core/errors.js';
import { scrubPersonal } from '../../core/scrub.js';
import { storedReason } from '../../pipelines/workers/base.js';

const CODE = '92370211MA3098E10F';
const ID_X = '37021119900101123X';

const mask = (run: string) => `${'*'.repeat(run.length - 4)}${run.slice(-4)}`;

describe('credit codes and ID numbers ending in X in text from outside', () => {
  it('keep their last four characters only', () => {
    expect(scrubPersonal(`统一社会信用代码 ${CODE} 校验失败`, [], () => '***')).toBe(
      `统一社会信用代码 ${mask(CODE)} 校验失败`,
    );
    expect(scrubPersonal(`证件号码${ID_X}校验失败`, [], () => '***')).toBe(`证件号码${mask(ID_X)}校验失败`);
    expect(scrubPersonal(`id=${ID_X.toLowerCase()}`, [], () => '***')).toBe(`id=${mask(ID_X.toLowerCase())}`);
    // A credit code of few digits: no run of seven digits in it at all.
    expect(scrubPersonal('holder 91370200MA3C4X8Y2B refused', [], () => '***')).toBe(
      'holder **************8Y2B refused',
    );
  });

  it('are masked in a rejection reason naming another record, and in a machine token', () => {
    expect(scrubPlatformReason(`与 ${CODE} 的证照编号重复`, [])).toBe(`与 ${mask(CODE)} 的证照编号重复`);
    expect(machineToken(`${CODE}: 统一社会信用代码校验失败`)).toBe(mask(CODE));
    expect(machineToken(`USCC_${CODE}_INVALID`)).toBe(`USCC_${mask(CODE)}_INVALID`);
  });

  it("are masked in a failure's message as last_error keeps it", () => {
    const e = errorFromAnswer(1, JSON.stringify({ code: 1, reason: `ID_${ID_X}_INVALID` }), {
      target: 'province',
      origin: 'https://platform.example',
      now: 0,
    });
    expect(e.message).toContain(`ID_${mask(ID_X)}_INVALID`);
    expect(e.message).not.toContain(ID_X.slice(-6));
  });

  it("are masked in a failed job's reason and a failed check's message", () => {
    const error = new Error(`province answered: holder ${CODE} is not registered`);
    expect(storedReason(error)).toBe(`Error: province answered: holder ${mask(CODE)} is not registered`);
    const check = failureMessage(
      new LicbridgeError(ErrorCodes.TARGET_REJECTED, `reconcile: ${CODE} unknown`),
    );
    expect(check.message).toBe(`reconcile: ${mask(CODE)} unknown`);
  });

  it('keep their last four characters in full-width digits and letters too', () => {
    const wide = (text: string) =>
      text.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const keepLastFour = (text: string) => `${'*'.repeat(text.length - 4)}${text.slice(-4)}`;
    for (const value of [ID_X, ID_X.toLowerCase(), CODE, '13912340002']) {
      expect(scrubPersonal(`证件号码${wide(value)}校验失败`, [], () => '***')).toBe(
        `证件号码${keepLastFour(wide(value))}校验失败`,
      );
    }
    // Half-width and full-width mixed, as a platform may echo a value typed half in each.
    expect(scrubPersonal(`号码：３７０２11１９９００１０１１２３Ｘ。`, [], () => '***')).toBe(
      '号码：**************１２３Ｘ。',
    );
    expect(scrubPlatformReason(`持有人 ${wide(CODE)} 不存在`, [])).toBe(
      `持有人 ${keepLastFour(wide(CODE))} 不存在`,
    );
  });

  it('mask what they left again as it stands', () => {
    for (const text of [
      `与 ${CODE} 的证照编号重复`,
      `证件号码${ID_X}、${ID_X.toLowerCase()}`,
      'holder 91370200MA3C4X8Y2B refused, id 1101051949123100211, 1.2.156.3005.2.11100000000013338W032',
      `a${CODE} ${CODE}b 1234567${CODE}`,
    ]) {
      const once = scrubPersonal(text, [], () => '***');
      expect(scrubPersonal(once, [], () => '***')).toBe(once);
    }
  });

  it('are kept by no message id a gateway answers: an id scrubPersonal would cut is kept as a digest', () => {
    // A credit code with a letter for its kind leaves no run of seven digits.
    for (const id of [`ack-${CODE}`, `ack-${ID_X.toLowerCase()}`, 'ack-1A370211MA3C4X8Y2B']) {
      expect(scrubPersonal(id, [], () => '***')).not.toBe(id);
      expect(storableMessageId(id, '+8613912340002')).toMatch(/^sha256:[0-9a-f]{32}$/);
    }
    expect(storableMessageId('sms-2026-0042', '+8613912340002')).toBe('sms-2026-0042');
  });

  it('leave identifiers of other shapes as they were', () => {
    for (const text of ['run 2f1c0e3a-9b7d-4e2f-8a61-0c5d3e7b9a14', 'code 1001', 'zzbh: required (number)']) {
      expect(scrubPersonal(text, [], () => '***')).toBe(text);
    }
  });
});
