/**
 * A password written after its name and a colon in free text, as a person, a form's echo or a
 * gateway's answer writes it (`password: …`, `密码：…` with a full-width colon, `口令: …`): only a
 * printed object's key at a line's start and a quoted value were read, so the value stood whole in
 * error text and log lines. Words after the colon (`password: expired`, `密码：错误`) stay.
 */
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { hiddenInErrorsAndLogLines } from './hidden-everywhere.js';

const CASES = [
  ['login failed: password: Sup3rS3cret!', 'Sup3rS3cret!', 'login failed: password: ***'],
  ['login failed, Password:hunter2x user lb', 'hunter2x', 'login failed, Password:*** user lb'],
  ['账号：lb 密码：Mi9Ma#2024 登录失败', 'Mi9Ma#2024', '账号：lb 密码：*** 登录失败'],
  ['密码: Mi9Ma#2024', 'Mi9Ma#2024', '密码: ***'],
  ['口令：Kl7x.q9', 'Kl7x.q9', '口令：***'],
  ['db_password: Qx7!pw', 'Qx7!pw', 'db_password: ***'],
  ["reply: password: 'Sup 3r'", 'Sup 3r', "reply: password: '***'"],
  ['reply: 密码：“Sup3r 9”', 'Sup3r 9', 'reply: 密码：“***”'],
] as const;

describe('a password after a colon in free text', () => {
  it('is hidden, its name and the colon kept', () => {
    for (const [text, , hidden] of CASES) expect(scrubSecrets(text)).toBe(hidden);
  });

  hiddenInErrorsAndLogLines(CASES, 'reply', (text) => `gateway: ${text}`);

  it('leaves words after the colon, a placeholder and a value already hidden', () => {
    for (const text of [
      'password: expired',
      'Password: required',
      'the password policy requires 12 characters',
      'the token expired',
      '密码：错误',
      '密码：不能为空',
      'password: ***',
      'password: [redacted]',
      'password: $1',
      'password:',
      'token: 12345',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('reads a line of 200 kB of names and colons', () => {
    expect(scrubSecrets('password:'.repeat(25_000))).toContain('password:');
    expect(scrubSecrets('密码：'.repeat(60_000))).toContain('密码：');
    expect(scrubSecrets(`password: ${'a1'.repeat(100_000)}`)).toBe('password: ***');
  });
});
