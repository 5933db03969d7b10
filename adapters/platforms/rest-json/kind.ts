// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/** A platform taking JSON over HTTP as a target kind (see adapters/platforms/kind-spec.ts). */
import { closed, HTTP_URL_PATTERN, kindConst, str } from '../../../config/schema/builders.js';
import { auth, delivery } from '../../../config/schema/target-parts.js';
import { tls } from '../../../config/schema/tls.js';
import { plainHttpTlsProblems } from '../../plain-http-tls.js';
import type { TargetKindSpec } from '../kind-spec.js';
import { restMaxBatchBytesOption } from './batch-bytes.js';
import type { RestJsonTargetConfig } from './config.js';
import { licenseFilesOption } from './file-options.js';

/** The config variant of a `rest-json` target. */
const schema = closed(
  'A platform taking batches of licenses as JSON over HTTP.',
  {
    kind: kindConst('rest-json', 'Target kind.'),
    url: str('Base URL; batches are POSTed to `<url>/licenses/batch`.', { pattern: HTTP_URL_PATTERN }),
    auth,
    tls,
    catalogPath: str(
      'Path under `url` that publishes license-type definitions, for `licbridge catalog pull`.',
      {
        default: '/catalog/types',
      },
    ),
    licenseFiles: licenseFilesOption,
    ...delivery,
    maxBatchBytes: restMaxBatchBytesOption,
  },
  ['kind', 'url'],
);

export const restJsonKind = {
  kind: 'rest-json',
  title: 'REST/JSON platform',
  schema,
  delivers: true,
  // `tls` next to an `http://` url or token URL would verify nothing and encrypt nothing (adapters/plain-http-tls.ts).
  problems: plainHttpTlsProblems,
  async open(name, config, options) {
    const { RestJsonTarget } = await import('./rest-json-target.js');
    return new RestJsonTarget(name, config, options.tokenShare ? { tokenShare: options.tokenShare } : {});
  },
} as const satisfies TargetKindSpec<RestJsonTargetConfig>;
