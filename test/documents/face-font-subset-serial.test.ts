// Face pictures drawn at the same time cut their fonts one after another: each cut loads a whole
// font file (20-30 MB) into HarfBuzz's WebAssembly memory, a fixed 64 MiB, so cuts side by side
// (as when the first pictures of a process wait together for the WebAssembly to compile) ran out
// of it and those pictures were drawn with every font. Needs the Noto CJK fonts (fonts-noto-cjk).
import { describe, expect, it, vi } from 'vitest';

const loads = { open: 0, most: 0, total: 0 };
vi.mock('../../adapters/documents/picture/hb-subset.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../adapters/documents/picture/hb-subset.js')>();
  return {
    ...real,
    loadFontFile: async (data: Uint8Array) => {
      const loaded = await real.loadFontFile(data);
      loads.open++;
      loads.total++;
      loads.most = Math.max(loads.most, loads.open);
      // Returns after a wait, as loads do that wait together for the WebAssembly to compile.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return {
        faceCount: loaded.faceCount,
        subset: loaded.subset.bind(loaded),
        close() {
          loads.open--;
          loaded.close();
        },
      };
    },
  };
});

const { subsetFontsFor } = await import('../../adapters/documents/picture/face-font-subset.js');
const { releaseHeldFonts } = await import('../../adapters/documents/picture/held-fonts.js');

describe('fonts cut for face pictures drawn at the same time', () => {
  it('are cut one font file at a time, from the file loaded once', async () => {
    const runs = [{ fontFamily: "'Noto Serif CJK SC'", text: '食品经营许可证' }];
    const subsets = await Promise.all([1, 2, 3].map(() => subsetFontsFor(runs, [], 'Noto Serif CJK SC')));
    for (const s of subsets) await s?.dispose();
    expect(subsets.every((s) => s?.files.length === 1)).toBe(true);
    expect(loads.most).toBe(1);
    expect(loads.total).toBe(1);
    // Held for the next picture until let go.
    await releaseHeldFonts();
    expect(loads.open).toBe(0);
  }, 60_000);
});
