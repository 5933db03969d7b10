/**
 * Numbers in a text masked whatever their path: a UUID or a dash-joined hex id keeps its segments
 * that look like a passport number (`D1234567-…`); an ID number after a percent-escape in a
 * URL-encoded query (`sfzh%3D1101…`) is masked; so is a mobile number written in groups
 * (`138 0013 8000`, `138-0013-8000`, `+86 138 0013 8000`).
 */
import { describe, expect, it } from 'vitest';
import { maskPersonalShapes } from '../../catalog/personal.js';
import { maskPassportShapes } from '../../core/mask.js';

describe('passport shapes', () => {
  it('leaves a UUID and other dash-joined hex ids as they are', () => {
    for (const id of [
      'D1234567-89AB-4CDE-8F01-23456789ABCD',
      'job 0F1E2D3C-4B5A-4978-8695-E12345678ABC failed',
      'a1b2c3d4-D1234567',
      'E1234567-E1234567',
    ])
      expect(maskPassportShapes(id)).toBe(id);
  });

  it('still masks a passport number standing alone, or beside a dash not joining hex', () => {
    expect(maskPassportShapes('passport D1234567 refused')).toBe('passport ******** refused');
    expect(maskPassportShapes('E12345678-护照')).toBe('E*******8-护照');
    expect(maskPassportShapes('G12345678-ABCD')).toBe('G*******8-ABCD');
    expect(maskPassportShapes('no=E12345678')).toBe('no=E*******8');
  });

  it('masks one after a percent-escape', () => {
    expect(maskPassportShapes('hzh%3DE12345678%26x')).toBe('hzh%3DE*******8%26x');
  });
});

describe('ID numbers in a URL-encoded text', () => {
  it('masks an ID number after a percent-escape', () => {
    expect(maskPersonalShapes('GET /q?sfzh%3D110105199003071234%26x=1')).toBe(
      'GET /q?sfzh%3D1101**********1234%26x=1',
    );
    expect(maskPersonalShapes('a%2C110105900307123')).toBe('a%2C1101*******7123');
  });

  it('masks one with letters stuck to it, and leaves one inside a longer run of digits alone', () => {
    // A record key naming the document (id-glued-to-letters.test.ts): letters do not end a number.
    expect(maskPersonalShapes('ABCD110105199003071234')).toBe('ABCD1101**********1234');
    expect(maskPersonalShapes('ABCD1101051990030712345')).toBe('ABCD1101051990030712345');
  });
});

describe('mobile numbers written in groups', () => {
  it.each([
    ['138 0013 8000', '*********8000'],
    ['138-0013-8000', '*********8000'],
    ['+86 138 0013 8000', '*************8000'],
    ['+86-138-0013-8000', '*************8000'],
    ['+86 13800138000', '***********8000'],
    ['(+86) 138 0013 8000', '***************8000'],
    ['tel%3D138-0013-8000', 'tel%3D*********8000'],
  ])('masks %s', (phone, masked) => {
    expect(maskPersonalShapes(`call ${phone} now`)).toBe(`call ${masked} now`);
  });

  it('leaves groups of mixed separators and other digit groups alone', () => {
    expect(maskPersonalShapes('138 0013-8000')).toBe('138 0013-8000');
    expect(maskPersonalShapes('order 1380 0138 000')).toBe('order 1380 0138 000');
  });

  it('masks full-width grouped digits where they stand', () => {
    expect(maskPersonalShapes('１３８\u3000００１３\u3000８０００')).toBe('*********８０００');
  });
});
