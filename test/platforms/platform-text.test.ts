// What licbridge keeps of a platform's own words (adapters/platforms/shared/platform-text.ts).
import { describe, expect, it } from 'vitest';
import {
  machineToken,
  personalValuesOf,
  scrubPlatformReason,
} from '../../adapters/platforms/shared/platform-text.js';
import { HOLDER_ID, HOLDER_NAME, sampleLicense } from './license-fixture.js';

describe('machineToken', () => {
  it('keeps a whole token, or the token before the first colon, and nothing else', () => {
    expect(machineToken('missing-credentials')).toBe('missing-credentials');
    expect(machineToken(`Server.Validation: 持有人 ${HOLDER_NAME} ${HOLDER_ID}`)).toBe('Server.Validation');
    expect(machineToken(`持有人 ${HOLDER_NAME}: 校验失败`)).toBeUndefined();
    expect(machineToken('too many requests')).toBeUndefined();
    expect(machineToken('x'.repeat(41))).toBeUndefined();
  });
});

describe('scrubPlatformReason', () => {
  it("masks the license's holder, face values and long digit runs, and keeps the explanation", () => {
    const license = sampleLicense(1);
    const personal = personalValuesOf(license);
    const out = scrubPlatformReason(
      `持有人 ${HOLDER_NAME} 证件号码 ${HOLDER_ID} 电话 13800138000 校验失败`,
      personal,
    );
    expect(out).not.toContain(HOLDER_NAME);
    expect(out).not.toContain(HOLDER_ID);
    expect(out).not.toContain('13800138000');
    expect(out).toContain('校验失败');
    expect(scrubPlatformReason('zzbh: required (number)', personal)).toBe('zzbh: required (number)');
  });

  it('caps a long reason and drops control characters', () => {
    const out = scrubPlatformReason(`a\nb${'x'.repeat(500)}`, []);
    expect(out.startsWith('a b')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(201);
  });
});
