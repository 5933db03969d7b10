import { type FaceTemplate, faceProblems } from '../../catalog/face-template.js';
import { parseYamlSource } from '../../catalog/yaml-source.js';

/**
 * The small sample face, a 100 × 80 mm page with two text boxes, a seal and a QR code, with
 * `extra` (a border, say) after the page: a new copy each call, `change` applied to it.
 */
export function sampleFace(
  extra: Partial<FaceTemplate> = {},
): (change?: (f: FaceTemplate) => void) => FaceTemplate {
  return (change = () => {}) => {
    const f: FaceTemplate = {
      page: { width: 100, height: 80 },
      ...structuredClone(extra),
      texts: [
        { x: 10, y: 10, width: 50, size: 5, text: '许可证' },
        { x: 10, y: 20, width: 50, size: 5, field: 'holder.name' },
      ],
      seal: { x: 60, y: 40, width: 20, height: 20 },
      qr: { x: 10, y: 50, size: 20 },
    };
    change(f);
    return f;
  };
}

/** The problems faceProblems finds in a template read from the YAML `text`, each as `line path: message`. */
export function sampleFaceProblems(
  text: string,
  surface: Parameters<typeof faceProblems>[2],
): (f: FaceTemplate) => string[] {
  return (f) =>
    faceProblems(parseYamlSource(text, 'face.yaml'), f, surface).map(
      (p) => `${p.line} ${p.path}: ${p.message}`,
    );
}
