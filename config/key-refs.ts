import { type RefContext, resolveRefs } from './refs.js';
import { jsonPointer, type YamlTree } from './yaml-tree.js';

/**
 * A local seal key given as `key: "${file:…}"` is read by the loader, so the signer never sees the
 * file and could not refuse one open to group or others the way it refuses such a `keyFile`.
 * This records, on each local-sm2 signer, the absolute paths its `key` references read
 * (`keyRefFiles`), found by resolving the scalar as written once more with a reader that only
 * notes the paths: the same rules as the real resolution, `$${` escapes included.
 */
export function recordKeyRefFiles(data: Record<string, unknown>, tree: YamlTree, ctx: RefContext): void {
  const signers = data.signers;
  if (signers === null || typeof signers !== 'object') return;
  for (const [name, value] of Object.entries(signers as Record<string, unknown>)) {
    const signer = value as Record<string, unknown> | null;
    if (signer?.kind !== 'local-sm2' || typeof signer.key !== 'string') continue;
    const written = tree.nodes.get(jsonPointer(['signers', name, 'key']))?.ref;
    if (written === undefined) continue;
    const files: string[] = [];
    resolveRefs(written, {
      env: ctx.env,
      baseDir: ctx.baseDir,
      readFile: (path) => {
        files.push(path);
        return '';
      },
    });
    if (files.length > 0) signer.keyRefFiles = files;
  }
}
