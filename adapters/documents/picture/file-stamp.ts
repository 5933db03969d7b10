/**
 * What tells a font file read earlier from the one at its path now, from `stat` alone. Size and
 * modification time are not enough: `cp -p`, `rsync -a`, `install -p` and package managers keep a
 * file's modification time, so another font of the same size would pass for the one read. A file
 * moved over the path is another inode; one written over in place moves its change time, which
 * nothing sets back. Only a rewrite in place, of the same size, within one tick of the file
 * system's clock goes unseen.
 */
import type { Stats } from 'node:fs';

export function fileStamp(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}
