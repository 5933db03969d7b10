/**
 * The error code a signing server states apart (`code`, `errorCode`, `errCode`) is quoted whole
 * when it has a code's shape, in the remote signer's errors: logs, the sign job's failedReason in
 * Redis, the run's stored error. A server or its gateway putting the number it refused there
 * (`{"code": "138-0013-8000", …}`) had it quoted whole when the number was written in groups: the
 * check read it by the digit rule alone, which sees no run of seven digits in it. Such a code is
 * masked as the server's words are; GM/T 0018 codes and tokens stay whole.
 */
import { describe, expect, it } from 'vitest';
import { quotedErrorBody, statedError } from '../../adapters/signers/remote/server-text.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const MOBILE = `13${digits(9)}`;
const AREA = `1${digits(5)}`;
const OLD_ID = [
  AREA,
  `7${1 + Math.floor(Math.random() * 9)}0${1 + Math.floor(Math.random() * 9)}12`,
  digits(3),
];

describe('a stated error code holding a personal number in groups', () => {
  const grouped = [
    `${MOBILE.slice(0, 3)}-${MOBILE.slice(3, 7)}-${MOBILE.slice(7)}`,
    `${MOBILE.slice(0, 3)} ${MOBILE.slice(3, 7)} ${MOBILE.slice(7)}`,
    OLD_ID.join('-'),
  ];

  it('is masked, in a 200 stating an error and in an HTTP error body', () => {
    for (const code of grouped) {
      for (const said of [
        statedError({ code, message: 'refused' }, []),
        statedError({ error: { errorCode: code, msg: 'refused' } }, []),
        quotedErrorBody(JSON.stringify({ errCode: code, message: 'refused' }), []),
      ]) {
        expect(said, code).not.toContain(code);
        expect(said.replace(/[ -]/g, ''), code).not.toContain(code.replace(/[ -]/g, '').slice(0, 7));
        expect(said, code).toContain('refused');
      }
    }
  });

  it('a code of a code’s shape is still quoted whole', () => {
    for (const code of ['SDR_KEYNOTEXIST', 'E1007', '0x01000008', '16777224', 'ERR-2024-0042']) {
      expect(statedError({ code, message: 'refused' }, [])).toBe(`${code} refused`);
    }
  });
});
