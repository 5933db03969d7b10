/**
 * A holder's contact for expiry reminders: what a mapped `contact` object keeps, and the phone
 * numbers an SMS gateway takes. Expected numbers are worked by hand: separators dropped, then
 * 5 to 15 digits (ITU-T E.164 allows at most 15) with an optional leading `+`.
 */
import { describe, expect, it } from 'vitest';
import { normalizePhone, toHolderContact } from '../../catalog/holder-contact.js';

describe('toHolderContact', () => {
  it('anything but a plain object is no contact', () => {
    expect(toHolderContact(null)).toBeNull();
    expect(toHolderContact(undefined)).toBeNull();
    expect(toHolderContact('13912345678')).toBeNull();
    expect(toHolderContact(13912345678)).toBeNull();
    // A list is not a contact, even one carrying a `phone` property.
    expect(toHolderContact(Object.assign(['13912345678'], { phone: '13912345678' }))).toBeNull();
  });

  it('keeps trimmed text and numbers as text; drops blanks, other types and other keys', () => {
    expect(toHolderContact({ phone: ' 13912345678 ', appUserId: '\tu-1\n' })).toEqual({
      phone: '13912345678',
      appUserId: 'u-1',
    });
    expect(toHolderContact({ appUserId: 'u-2' })).toEqual({ appUserId: 'u-2' });
    expect(toHolderContact({ phone: 0 })).toEqual({ phone: '0' });
    expect(toHolderContact({ phone: '   ', appUserId: 42 })).toEqual({ appUserId: '42' });
    expect(toHolderContact({ phone: true, appUserId: { id: 'u' }, email: 'a@b.c' })).toBeNull();
    expect(toHolderContact({ phone: '', appUserId: null })).toBeNull();
  });
});

describe('normalizePhone', () => {
  it.each([
    ['138-0013-8000', '13800138000'],
    ['(0532) 8888 1234', '053288881234'],
    ['（0532）8888-1234', '053288881234'],
    ['+86 138.0013.8000', '+8613800138000'],
    ['138\t0013\n8000', '13800138000'],
    ['12345', '12345'],
    ['123456789012345', '123456789012345'],
    ['+123456789012345', '+123456789012345'],
  ])('%j is %j', (raw, want) => {
    expect(normalizePhone(raw)).toBe(want);
  });

  it.each([
    '',
    '1234',
    '1234567890123456',
    '+1234',
    '++12345',
    '86+13800138000',
    'x13800138000',
    '13800138000x',
    '138_0013_8000',
    '138/0013/8000',
    '１３８００１３８０００',
  ])('%j is not a phone number', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined();
  });
});
