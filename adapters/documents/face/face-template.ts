/**
 * A license type's face template (照面模板, e-license rules art. 3 and 5): where each face field
 * goes on the page. Units are millimetres from the page's top-left corner, as in OFD
 * (GB/T 33190 §7.3: the page coordinate system is in mm, y downwards).
 */

export interface FaceText {
  /** Left edge of the text box. */
  x: number;
  /** Top edge of the text box. */
  y: number;
  /** Width of the text box: longer text wraps within it. */
  width: number;
  /** Font size (em height), mm. */
  size: number;
  /** Font family name as an OFD reader resolves it: 宋体, 黑体, 楷体, 仿宋. @defaultValue 宋体 */
  font?: string;
  /** `#RRGGBB`. @defaultValue #000000 */
  color?: string;
  /** @defaultValue left */
  align?: 'left' | 'center';
  /** Fixed text (a caption, the license title). One of `text` and `field`. */
  text?: string;
  /** A license field: `holder.name`, `number`, `validTo`, `surface.premises`, … */
  field?: string;
  /** Printed before the field's value, e.g. `经营者名称：`. */
  prefix?: string;
  /** How a list field's items are joined. @defaultValue 、 */
  join?: string;
  /** `date`: ISO dates print as 2024年05月01日; a missing `validTo` prints 长期. */
  format?: 'date';
  /** Lines the text may take; beyond them it is cut with …. @defaultValue 1 */
  maxLines?: number;
  /** Line advance as a multiple of `size`. @defaultValue 1.5 */
  lineHeight?: number;
}

export interface FaceTemplate {
  /** Page size, mm. */
  page: { width: number; height: number };
  /** A frame drawn inset from the page edge. */
  border?: { inset: number; width: number; color: string };
  texts: FaceText[];
  /** Where the seal impression goes (its box, mm). */
  seal: { x: number; y: number; width: number; height: number };
  /** The 2-D code: a square box, carrying the license identifier or, with `url`, a verification link. */
  qr: { x: number; y: number; size: number; url?: string };
}
