/** A folder of XML export files as a source kind (see connectors/kind-spec.ts). */
import type { SourceKindSpec } from '../kind-spec.js';

export const xmlFilesKind = {
  kind: 'xml-files',
  title: 'XML export files',
  shape: 'export-files',
  async open(name, config, options) {
    const { openXmlFilesSource } = await import('./index.js');
    return openXmlFilesSource(name, config, {
      ...(options.state ? { state: options.state } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  },
} as const satisfies SourceKindSpec;
