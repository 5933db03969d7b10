// The keyset connectors' checkpoint format: what they write, what they read back, and what they
// refuse (another version, another connector's text), naming the source and the way out.
import { describe, expect, it } from 'vitest';
import {
  decodeKeyPosition,
  decodeResumePoint,
  describeCheckpoint,
  encodeKeyPosition,
  encodeResumePoint,
  START_POSITION,
} from '../../connectors/key-position.js';
import { LicbridgeError } from '../../core/errors.js';

describe('keyset checkpoints', () => {
  it('round-trip a position as versioned JSON', () => {
    const cp = encodeKeyPosition({ cursor: '2024-03-01 08:00:00', key: '17' });
    expect(JSON.parse(cp)).toEqual({ v: 1, cursor: '2024-03-01 08:00:00', key: '17' });
    expect(decodeKeyPosition(cp, 'market-food')).toEqual({ cursor: '2024-03-01 08:00:00', key: '17' });
    expect(decodeKeyPosition(encodeKeyPosition({ cursor: null, key: '' }), 's')).toEqual({
      cursor: null,
      key: '',
    });
  });

  it('refuse another version or another text, naming the source and the way to start over', () => {
    const refused = (cp: string) => {
      try {
        decodeKeyPosition(cp, 'market-food');
      } catch (e) {
        expect(e).toBeInstanceOf(LicbridgeError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused('{"v":2,"cursor":null,"key":"1"}')).toBe(
      'source market-food: the stored checkpoint has format version 2, not 1; it was written by another connector or another licbridge version — run `licbridge source forget market-food` to read the source from the start',
    );
    expect(refused('{"cursor":null,"key":"1"}')).toContain('has format version undefined, not 1');
    for (const bad of ['17', '[1]', 'null', '{"v":1,"cursor":3,"key":"1"}', '{"v":1,"cursor":null}'])
      expect(refused(bad)).toContain('the stored checkpoint is not a checkpoint this connector wrote');
  });

  it('show as cursor / key in status, or as the text itself', () => {
    expect(describeCheckpoint(encodeKeyPosition({ cursor: null, key: '000240' }))).toBe('- / key 000240');
    expect(describeCheckpoint(encodeKeyPosition({ cursor: 'c', key: 'k' }))).toBe('c / key k');
    expect(describeCheckpoint('{"v":7}')).toBe('{"v":7}');
  });

  it('say "from the start" for a page of rows without a key read before any keyed row', () => {
    expect(JSON.parse(START_POSITION)).toEqual({ v: 1, cursor: null, key: null });
    expect(encodeResumePoint(null)).toBe(START_POSITION);
    expect(decodeResumePoint(START_POSITION, 's')).toBeNull();
    const cp = encodeResumePoint({ cursor: 'c', key: 'k' });
    expect(decodeResumePoint(cp, 's')).toEqual({ cursor: 'c', key: 'k' });
    expect(describeCheckpoint(START_POSITION)).toBe('start (no keyed row read yet)');
    // The strict reader (the XML connector's) still refuses it: it never wrote one.
    expect(() => decodeKeyPosition(START_POSITION, 's')).toThrow(LicbridgeError);
  });
});
