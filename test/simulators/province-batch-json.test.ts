/**
 * The province simulator reads a batch body item by item (batch-json.ts) instead of as one large
 * string: whatever the body, it must read what JSON.parse reads, and refuse what JSON.parse refuses.
 */
import { describe, expect, it } from 'vitest';
import { batchItemsOf, parseBatchJson } from '../../adapters/simulators/province/batch-json.js';
import { wireItem } from './demo-wire-item.js';

function read(body: Buffer): { value: unknown } | { error: true } {
  try {
    return { value: parseBatchJson(body) };
  } catch {
    return { error: true };
  }
}

function parsedWhole(body: Buffer): { value: unknown } | { error: true } {
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { error: true };
  }
}

const items = (n: number) => Array.from({ length: n }, (_, i) => wireItem(i, 1 + (i % 3)));

const bodies: Record<string, string | Buffer> = {
  'a demo batch of 100': JSON.stringify({ items: items(100) }),
  'one item': JSON.stringify({ items: items(1) }),
  'quotes, backslashes, commas and brackets in strings': JSON.stringify({
    items: [
      { key: 'a"b\\', license: { zzbs: '\\", [{', zzbh: '],},' }, note: '\\\\"' },
      { key: '\\', signature: { value: '"' } },
      'x\\"],[',
    ],
  }),
  'a string ending in a backslash pair': '{"items":["\\\\",{"k":"\\\\\\""}]}',
  'values of every kind': '{"items":[1,-2.5e3,true,false,null,"s",[],{},[[1,[2]],{"a":[{}]}]]}',
  'whitespace around items': '{"items":[ {"key":"a"} ,\n\t{"key":"b"}\r\n ]}',
  'no items': '{"items":[]}',
  'only whitespace in items': '{"items":[ ]}',
  'a trailing comma': '{"items":[{"key":"a"},]}',
  'two commas': '{"items":[{"key":"a"},,{"key":"b"}]}',
  'a leading comma': '{"items":[,{"key":"a"}]}',
  'items closed early': '{"items":[{"key":"a"}],"x":[1]}',
  'a second items key': '{"items":[{"key":"a"}],"items":[{"key":"b"}]}',
  'brackets that do not match': '{"items":[{"key":"a"]]}',
  'an unclosed object': '{"items":[{"key":"a"]}',
  'an unclosed string': '{"items":["abc]}',
  'a raw line break in a string': '{"items":["a\nb"]}',
  'two values in one item': '{"items":[{"key":"a"} {"key":"b"}]}',
  'a body with a byte order mark': `\ufeff${JSON.stringify({ items: items(2) })}`,
  'trailing whitespace': `${JSON.stringify({ items: items(2) })}\n`,
  'keys in another order': JSON.stringify({ other: 1, items: items(2) }),
  'spaces in the head': '{ "items" : [{"key":"a"}] }',
  'not an object': '[{"items":[1]}]',
  'the head alone': '{"items":[',
  empty: '',
  'invalid UTF-8 in a string': Buffer.concat([
    Buffer.from('{"items":[{"key":"a', 'utf8'),
    Buffer.from([0xff, 0xe4, 0xb8]),
    Buffer.from('"},{"key":"\u98df"}]}', 'utf8'),
  ]),
  'a character cut at an item boundary': Buffer.concat([
    Buffer.from('{"items":["a', 'utf8'),
    Buffer.from([0xe9, 0xa3]),
    Buffer.from('","b"]}', 'utf8'),
  ]),
};

describe('province simulator: reading a batch body', () => {
  for (const [name, body] of Object.entries(bodies)) {
    it(`reads ${name} as JSON.parse does`, () => {
      const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      expect(read(raw)).toEqual(parsedWhole(raw));
    });
  }

  it('reads the bodies clients send item by item, each item as JSON.parse reads it', () => {
    for (const name of [
      'a demo batch of 100',
      'one item',
      'quotes, backslashes, commas and brackets in strings',
      'a string ending in a backslash pair',
      'values of every kind',
      'whitespace around items',
      'a character cut at an item boundary',
    ]) {
      const body = bodies[name] as string | Buffer;
      const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      expect(batchItemsOf(raw), name).toEqual((JSON.parse(raw.toString('utf8')) as { items: unknown }).items);
    }
  });

  it('reads every item of a demo batch, Chinese text and signatures as sent', () => {
    const sent = items(250);
    const doc = parseBatchJson(Buffer.from(JSON.stringify({ items: sent }), 'utf8')) as { items: unknown[] };
    expect(doc.items).toEqual(sent);
  });
});
