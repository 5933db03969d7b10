/**
 * Whether a seal's stamp lies on the page. The stamp is the seal at the size it states, centred on
 * the template's seal box (`stampBox`): a seal larger than the box, the box near an edge, reaches
 * past the page, and a reader or a printer cuts the seal off there. A legal seal is never printed
 * smaller than it is, nor moved from where the template puts it (over the issuer's name and the
 * date, as on paper) without anyone seeing: a seal and a template that do not fit are refused,
 * where both are known (`sign files`, `sign backfill --files`, `render --seal`), before any file
 * is sealed.
 */
import type { SealInfo } from '../../signers/ses/seal-format.js';
import type { FaceTemplate } from '../face/face-template.js';
import { stampBox } from './ofd-signature.js';
import { num } from './xml.js';

/** The seal as a refusal names it: its name and the size it states. */
export interface SealSize extends Pick<SealInfo['picture'], 'widthMm' | 'heightMm'> {
  name: string;
}

/**
 * Why the seal's stamp does not lie on the template's page — the seal, its size, the box, the page
 * and how far past which edge — or null when it does. `template` names the template for the
 * reader (`license type 11370200MB12345674001 (食品经营许可证, catalog/food.yaml)`).
 */
export function stampFitProblem(seal: SealSize, face: FaceTemplate, template: string): string | null {
  const stamp = stampBox(face.seal, seal);
  const { width: W, height: H } = face.page;
  // The same tolerance as the catalog's own check of the seal box (face-template.ts).
  const past = (mm: number, edge: string) => (mm > 1e-9 ? [`${num(mm)} mm past the ${edge} edge`] : []);
  const edges = [
    ...past(-stamp.x, 'left'),
    ...past(-stamp.y, 'top'),
    ...past(stamp.x + stamp.width - W, 'right'),
    ...past(stamp.y + stamp.height - H, 'bottom'),
  ];
  if (edges.length === 0) return null;
  const s = face.seal;
  return (
    `seal ${seal.name} prints ${num(seal.widthMm)} × ${num(seal.heightMm)} mm; centred on the seal box of the face template of ${template} ` +
    `(face.seal: ${num(s.x)}, ${num(s.y)}, ${num(s.width)} × ${num(s.height)} mm) it would reach ${edges.join(' and ')} of the ${num(W)} × ${num(H)} mm page. ` +
    "A seal is printed at its own size, never smaller: move the template's seal box that far in from the edge (or give it the seal's size where it fits), or use a seal that fits"
  );
}
