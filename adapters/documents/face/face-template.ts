/** The face template lives with the catalog (one declaration, validated there); documents lay it out. */
export type { FaceTemplate, FaceText } from '../../../catalog/face-template.js';
