// A face picture whose font cannot be cut is drawn with every installed font, at several times the
// CPU: that used to happen without a word. One warning per font file and process names the file
// and what failed, and nothing of the license. Needs the Noto CJK fonts (fonts-noto-cjk).
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { createLogger } from '../../core/logger.js';
import { foodLicense, foodTemplate } from './fixtures.js';

const REFUSED = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc';
const SERIF_SIZE = 26297400;

// HarfBuzz refuses every face of the serif collection (known by its size: the loader sees bytes).
vi.mock('../../adapters/documents/picture/hb-subset.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../adapters/documents/picture/hb-subset.js')>();
  return {
    ...real,
    loadFontFile: async (data: Uint8Array) => {
      const loaded = await real.loadFontFile(data);
      if (data.byteLength !== SERIF_SIZE) return loaded;
      return { faceCount: loaded.faceCount, subset: () => null, close: () => loaded.close() };
    },
  };
});

const { renderFacePng } = await import('../../adapters/documents/picture/face-png.js');

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, raw, logger: createLogger({ level: 'info', destination: stream }) };
}

describe('a font that cannot be cut for a face picture', () => {
  it('is told once per font file and process, by path, with no license data', async () => {
    const { lines, raw, logger } = capture();
    const license = foodLicense(7);
    // Only the lines that hold the data the warning must not name: drawn with every installed
    // font, resvg reads the font files again for each run of characters, and the whole face
    // (13 lines, twice) cost this file ~5 s on an idle machine, twice what these three lines cost.
    const face = layoutFace(foodTemplate, license);
    const secrets = [license.holder.name, license.holder.id, license.number];
    const layout = { ...face, lines: face.lines.filter((l) => secrets.some((s) => l.text.includes(s))) };
    expect(layout.lines.map((l) => l.font)).toEqual(['宋体', '宋体', '宋体']);
    const first = await renderFacePng(layout, { dpi: 60, logger });
    const second = await renderFacePng(layout, { dpi: 60, logger });
    expect(first.png.byteLength).toBeGreaterThan(0);
    expect(second.png.equals(first.png)).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      file: REFUSED,
      err: { message: 'HarfBuzz refused to cut face 2' },
    });
    expect(String(lines[0]?.msg)).toContain(`font file ${REFUSED} could not be cut`);
    expect(String(lines[0]?.msg)).toContain('every installed font');
    for (const secret of secrets) {
      expect(raw[0]).not.toContain(secret);
    }
  }, 120_000);
});
