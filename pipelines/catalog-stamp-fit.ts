/**
 * Whether a seal's stamp lies on the page of a license type's face template, the template named
 * by its catalog entry: `sign files` checks the types it may seal as it opens the seal
 * (issue-license-files.ts), `render` the one it draws (render-face.ts).
 */
import { type SealSize, stampFitProblem } from '../adapters/documents/ofd/stamp-fit.js';
import type { Catalog } from '../catalog/catalog.js';

/**
 * Why `seal`'s stamp would reach past the page of license type `code`'s face (stamp-fit.ts), the
 * template named `license type C (name, file)`; null when it does not, or the type has no face.
 */
export function catalogStampFitProblem(catalog: Catalog, code: string, seal: SealSize): string | null {
  const entry = catalog.get(code);
  if (!entry?.face) return null;
  return stampFitProblem(seal, entry.face, `license type ${entry.code} (${entry.name}, ${entry.file})`);
}
