// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { TARGET_KINDS } from '../../adapters/platforms/kinds.js';
import type { Schema } from './builders.js';

/** Targets: the platforms licenses go to. One variant per registered kind (adapters/platforms/kinds.ts). */
export const target: Schema = {
  type: 'object',
  description: 'A platform licenses are delivered to.',
  discriminator: { propertyName: 'kind' },
  oneOf: TARGET_KINDS.map((k) => k.schema),
};
