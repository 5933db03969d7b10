// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/** An older city SOAP web service as a target kind (see adapters/platforms/kind-spec.ts). */
import { closed, HTTP_URL_PATTERN, kindConst, secret, str } from '../../../config/schema/builders.js';
import { delivery } from '../../../config/schema/target-parts.js';
import { tls } from '../../../config/schema/tls.js';
import { plainHttpTlsProblems } from '../../plain-http-tls.js';
import type { TargetKindSpec } from '../kind-spec.js';
import { maxBatchBytesOption } from '../shared/request-bytes.js';
import type { SoapXmlTargetConfig } from './config.js';

/** The namespace of the city exchange's operations; the simulator speaks it too. */
export const DEFAULT_NAMESPACE = 'http://exchange.city.gov.cn/license';

/** The config variant of a `soap-xml` target. */
const schema = closed(
  'An older city web service taking licenses as SOAP 1.1 envelopes.',
  {
    kind: kindConst('soap-xml', 'Target kind.'),
    url: str('Endpoint URL of the web service.', { pattern: HTTP_URL_PATTERN }),
    namespace: str("Target namespace of the service's operations.", {
      default: DEFAULT_NAMESPACE,
    }),
    username: str('WS-Security UsernameToken user, when the service asks for one. Default: none.'),
    password: secret(str('WS-Security UsernameToken password, usually `${env:…}`. Default: none.')),
    tls,
    ...delivery,
    maxBatchBytes: maxBatchBytesOption(
      "Counts the whole SOAP envelope; set it under what the service or its proxy takes per request (a WCF service's `maxReceivedMessageSize`, 64 KiB unless raised; IIS request filtering).",
    ),
  },
  ['kind', 'url'],
);

/**
 * `username` and `password` go together: with one left out (a `password:` line commented out
 * while trying another) no UsernameToken is sent and the service refuses every request, while the
 * config loaded and `config check` passed. Neither value is shown.
 */
function usernameTokenProblems(name: string, config: SoapXmlTargetConfig) {
  const given = (v: string | undefined) => v !== undefined && v !== '';
  if (given(config.username) === given(config.password)) return [];
  const [missing, set] = given(config.username) ? ['password', 'username'] : ['username', 'password'];
  return [
    {
      path: [missing],
      message: `target ${name}: expected \`${missing}\` with \`${set}\` set (a WS-Security UsernameToken takes both), got none: no token would be sent and the service would refuse every request`,
    },
  ];
}

export const soapXmlKind = {
  kind: 'soap-xml',
  title: 'SOAP/XML web service',
  schema,
  delivers: true,
  // `tls` next to an `http://` url would verify nothing and encrypt nothing (adapters/plain-http-tls.ts).
  problems: (name, config) => [...plainHttpTlsProblems(name, config), ...usernameTokenProblems(name, config)],
  async open(name, config) {
    const { SoapXmlTarget } = await import('./soap-xml-target.js');
    return new SoapXmlTarget(name, config);
  },
} as const satisfies TargetKindSpec<SoapXmlTargetConfig>;
