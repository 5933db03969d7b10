/**
 * Each built-in transform called directly through the registry: every argument check with the
 * text it answers, and every kind of value a step can be handed. Expected values are worked by
 * hand (full-width forms: U+FF01–U+FF5E = U+0021–U+007E + 0xFEE0, ideographic space U+3000;
 * GB18030 bytes of 青岛 = C7E0 B5BA, python3: '青岛'.encode('gb18030').hex()).
 */
import { describe, expect, it } from 'vitest';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { MapValue, StepOutcome, TransformStep } from '../../mappings/types.js';

const registry = createTransformRegistry();
const compile = (name: string, arg?: unknown): TransformStep | string => {
  const def = registry.get(name);
  if (!def) throw new Error(`no transform ${name}`);
  const s = def.compile(arg);
  return typeof s === 'object' ? `${s.at.join('.')}: ${s.message}` : s;
};
const step = (name: string, arg?: unknown): TransformStep => {
  const s = compile(name, arg);
  if (typeof s === 'string') throw new Error(`${name}: ${s}`);
  return s;
};
const value = (r: StepOutcome) => (r.ok ? r.value : `${r.code}: ${r.message}`);
const run = (name: string, arg: unknown, v: MapValue) => value(step(name, arg)(v));

describe('the registry', () => {
  it('lists the built-ins sorted, and refuses to replace one', () => {
    const r = createTransformRegistry();
    expect(r.names()).toEqual([
      'date',
      'default',
      'fullWidth',
      'halfWidth',
      'holderIdType',
      'idNumber',
      'join',
      'list',
      'lower',
      'nfc',
      'number',
      'pad',
      'repairCharset',
      'replace',
      'split',
      'trim',
      'upper',
    ]);
    expect(() => r.register('trim', registry.get('upper')!)).toThrow(
      'transforms: `trim` is already registered',
    );
    r.register('zz', registry.get('upper')!);
    expect(r.names().at(-1)).toBe('zz');
    // Registering in one registry leaves the others as they were.
    expect(createTransformRegistry().get('zz')).toBeUndefined();
    expect(registry.get('repairCharset')?.rawInput).toBe(true);
    expect(registry.get('trim')?.argument).toBe('none');
    expect(registry.get('pad')?.argument).toBe('required');
  });
});

describe('text steps and the values they are handed', () => {
  it('null passes, numbers are read as text, lists item by item, anything else is refused by name', () => {
    expect(run('upper', undefined, null)).toBeNull();
    expect(run('upper', undefined, 12.5)).toBe('12.5');
    expect(run('upper', undefined, ['a', null, 1])).toEqual(['A', null, '1']);
    expect(run('upper', undefined, ['a', true])).toBe('LB_MAP_TYPE: expected text, got a boolean');
    expect(run('upper', undefined, new Date(0))).toBe('LB_MAP_TYPE: expected text, got a date');
    expect(run('upper', undefined, new Uint8Array(1))).toBe('LB_MAP_TYPE: expected text, got binary data');
    expect(run('upper', undefined, [['a']])).toEqual([['A']]);
    expect(run('upper', undefined, { a: 1 } as unknown as MapValue)).toBe(
      'LB_MAP_TYPE: expected text, got an object',
    );
  });

  it('trim, lower, halfWidth and fullWidth', () => {
    expect(run('trim', undefined, ' a ')).toBe('a');
    expect(run('lower', undefined, 'AbC')).toBe('abc');
    expect(run('halfWidth', undefined, '\uff01\uff5e\u3000\uff00\uff5f')).toBe('!~ \uff00\uff5f');
    expect(run('fullWidth', undefined, '!~ a\u007f')).toBe('\uff01\uff5e\u3000\uff41\u007f');
  });
});

describe('split', () => {
  it('needs a non-empty separator', () => {
    expect(compile('split', '')).toBe('expected a non-empty separator text');
    expect(compile('split', 1)).toBe('expected a non-empty separator text');
  });
  it('trims items and drops empty ones; text only', () => {
    expect(run('split', '；', ' a ；；b；  ；')).toEqual(['a', 'b']);
    expect(run('split', ',', null)).toBeNull();
    expect(run('split', ',', 5)).toBe('LB_MAP_TYPE: split expects text, got a number');
  });
});

describe('pad', () => {
  it('checks every part of its argument', () => {
    expect(compile('pad', 'x')).toBe('expected { length, char }');
    expect(compile('pad', ['x'])).toBe('expected { length, char }');
    expect(compile('pad', null)).toBe('expected { length, char }');
    expect(compile('pad', { length: 3, char: '0', width: 1 })).toBe(
      'unknown key `width`; expected length, char, side',
    );
    const badLength = 'expected `length` to be an integer from 1 to 256';
    for (const length of [0, 257, 2.5, '3', undefined])
      expect(compile('pad', { length, char: '0' })).toBe(badLength);
    expect(typeof compile('pad', { length: 1, char: '0' })).toBe('function');
    expect(typeof compile('pad', { length: 256, char: '0' })).toBe('function');
    for (const char of ['', '00', 0])
      expect(compile('pad', { length: 3, char })).toBe('expected `char` to be one character');
    expect(typeof compile('pad', { length: 3, char: '\u{1d11e}' })).toBe('function');
    expect(compile('pad', { length: 3, char: '0', side: 'middle' })).toBe(
      'expected `side` to be start or end',
    );
  });
  it('pads at the start by default, at the end when asked', () => {
    expect(run('pad', { length: 4, char: '0' }, '7')).toBe('0007');
    expect(run('pad', { length: 4, char: '0', side: 'start' }, 7)).toBe('0007');
    expect(run('pad', { length: 4, char: '-', side: 'end' }, '7')).toBe('7---');
    expect(run('pad', { length: 2, char: '0' }, '12345')).toBe('12345');
  });
});

describe('number', () => {
  it('decimal text to a number; blank to null; anything else refused', () => {
    expect(run('number', undefined, ' -12.50 ')).toBe(-12.5);
    expect(run('number', undefined, '+3')).toBe(3);
    expect(run('number', undefined, 7)).toBe(7);
    expect(run('number', undefined, null)).toBeNull();
    expect(run('number', undefined, '  ')).toBeNull();
    for (const bad of ['1.', '.5', '1e3', '0x10', '1 2', 'a1', '1a'])
      expect(run('number', undefined, bad), bad).toBe('LB_MAP_NUMBER: text is not a decimal number');
    expect(run('number', undefined, true)).toBe('LB_MAP_TYPE: number expects text, got a boolean');
  });
});

describe('replace', () => {
  it('needs exactly two texts, and a pattern RE2 accepts', () => {
    const expected = 'expected [pattern, replacement], two texts';
    for (const arg of ['a', ['a'], ['a', 'b', 'c'], [1, 'b'], ['a', 1]])
      expect(compile('replace', arg)).toBe(expected);
    expect(compile('replace', ['(?<=a)b', ''])).toEqual(expect.any(String));
  });
  it('replaces every match', () => {
    expect(run('replace', ['[-/]', ''], '2021-03/15')).toBe('20210315');
  });
});

describe('join', () => {
  it('needs a separator text', () => {
    expect(compile('join', 1)).toBe('expected a separator text, e.g. "；"');
    expect(typeof compile('join', '')).toBe('function');
  });
  it('joins text and number items, drops empty ones, passes text and null through', () => {
    expect(run('join', '；', ['a', '', null, 1, 'b'])).toBe('a；1；b');
    expect(run('join', '；', 'as is')).toBe('as is');
    expect(run('join', '；', null)).toBeNull();
    expect(run('join', '；', [])).toBe('');
    expect(run('join', '；', 5)).toBe('LB_MAP_TYPE: join expects a list, got a number');
    expect(run('join', '；', ['a', true])).toBe('LB_MAP_TYPE: join expects text items, got a boolean');
    expect(run('join', '；', ['a', ['b']])).toBe('LB_MAP_TYPE: join expects text items, got a list');
  });
});

describe('idNumber', () => {
  it('half-width, x → X, 15 digits → 18, without validating', () => {
    expect(run('idNumber', undefined, '１１０１０５４９１２３１００２')).toBe('11010519491231002X');
    expect(run('idNumber', undefined, ' 11010519491231002x ')).toBe('11010519491231002X');
    expect(run('idNumber', undefined, '123')).toBe('123');
  });
});

describe('default', () => {
  it('takes a plain value only', () => {
    const expected = 'expected a plain value (text, number, true/false or null)';
    expect(compile('default', { a: 1 })).toBe(expected);
    expect(compile('default', [1])).toBe(expected);
    expect(compile('default', undefined)).toBe(expected);
    for (const ok of ['x', 0, false, null]) expect(typeof compile('default', ok)).toBe('function');
  });
  it('replaces null, empty text and an empty list only', () => {
    for (const empty of [null, '', []] as MapValue[]) expect(run('default', 'd', empty)).toBe('d');
    for (const kept of [' ', 0, false, ['a']] as MapValue[]) expect(run('default', 'd', kept)).toEqual(kept);
  });
});

describe('holderIdType', () => {
  const expected =
    'expected the id types a value may be given, a list of "001", "099" and/or "111", e.g. ["001", "111"] (quote them: YAML reads 001 as a number)';
  it('takes a list of distinct 001, 099 and 111', () => {
    for (const arg of [undefined, '001', [], [1], ['001', '999'], ['111', '111']])
      expect(compile('holderIdType', arg)).toBe(expected);
    expect(typeof compile('holderIdType', ['111'])).toBe('function');
  });
  it('names the id type by the shape, and says which it is when not allowed', () => {
    expect(run('holderIdType', ['001', '111'], '91370406L24894136J')).toBe('001');
    expect(run('holderIdType', ['001', '111'], ' １１０１０５１９４９１２３１００２x ')).toBe('111');
    expect(run('holderIdType', ['001'], '11010519491231002X')).toBe(
      'LB_MAP_HOLDER_ID_TYPE: holderIdType: the value has the shape of id type 111, not of 001',
    );
    expect(run('holderIdType', ['111', '001'], 'E12345678')).toBe(
      'LB_MAP_HOLDER_ID_TYPE: holderIdType: the value has the shape neither of a resident ID number (18 chars, or 15 digits) nor of a credit code (18 chars, GB 32100)',
    );
  });
});

describe('repairCharset', () => {
  it('needs a charset iconv-lite knows', () => {
    expect(compile('repairCharset', 'nope')).toBe('expected a charset iconv-lite knows, e.g. gb18030, big5');
    expect(compile('repairCharset', 5)).toBe('expected a charset iconv-lite knows, e.g. gb18030, big5');
  });
  it('decodes latin1 mojibake and bytes; leaves ASCII, real text and plain values alone', () => {
    // 青岛 in GB18030 is C7 E0 B5 BA; read as latin1 that is Çàµº.
    expect(run('repairCharset', 'GBK', '\u00c7\u00e0\u00b5\u00ba')).toBe('青岛');
    expect(run('repairCharset', 'gb18030', Uint8Array.from([0xc7, 0xe0, 0xb5, 0xba]))).toBe('青岛');
    expect(run('repairCharset', 'gb18030', 'plain ascii')).toBe('plain ascii');
    expect(run('repairCharset', 'gb18030', '青岛')).toBe('青岛');
    for (const v of [null, 5, true] as MapValue[]) expect(run('repairCharset', 'gb18030', v)).toBe(v);
    expect(run('repairCharset', 'gb18030', [])).toBe(
      'LB_MAP_TYPE: repairCharset expects text or bytes, got a list',
    );
  });
  it('refuses bytes that are not the charset, and values past four times the text limit', () => {
    expect(run('repairCharset', 'gb18030', Uint8Array.from([0x81]))).toBe(
      'LB_MAP_ENCODING: bytes are not valid gb18030; repair at the source instead: sources.<name>.charset { repair: [columns], from: gb18030 } (docs/connectors.md)',
    );
    expect(run('repairCharset', 'gb18030', 'a'.repeat(16_001))).toBe(
      'LB_MAP_TOO_LONG: value of 16001 chars or bytes exceeds 16000',
    );
    expect(run('repairCharset', 'gb18030', 'a'.repeat(16_000))).toBe('a'.repeat(16_000));
    expect(run('repairCharset', 'gb18030', new Uint8Array(16_001))).toBe(
      'LB_MAP_TOO_LONG: value of 16001 chars or bytes exceeds 16000',
    );
  });
});
