/**
 * Reads the license-type definitions a REST/JSON platform publishes (`GET <url><catalogPath>`,
 * answering `{ "code": 0, "types": [ … ] }`), authenticated like every other request to it.
 */
import axios from 'axios';
import { type Defaulted, withSchemaDefaults } from '../../../config/schema-defaults.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { createAuthStrategy } from '../shared/auth/create-auth.js';
import { errorFromStatus, errorFromTransport } from '../shared/http-failure.js';
import type { RestJsonTargetConfig } from './config.js';
import { restJsonKind } from './kind.js';

export interface PublishedType {
  code: string;
  name: string;
  [field: string]: unknown;
}

export async function fetchCatalogTypes(
  target: string,
  config: RestJsonTargetConfig,
): Promise<PublishedType[]> {
  const { catalogPath } = withSchemaDefaults(restJsonKind.schema, config) as Defaulted<
    RestJsonTargetConfig,
    'catalogPath'
  >;
  const url = new URL(`${config.url.replace(/\/+$/, '')}${catalogPath}`);
  const auth = createAuthStrategy(config.auth);
  const where = { target, origin: url.origin, now: Date.now() };
  let res: { status: number; data: unknown; headers: Record<string, unknown> };
  try {
    const headers = await auth.headers({ method: 'GET', path: `${url.pathname}${url.search}`, body: '' });
    res = await axios.get(url.href, {
      headers: { accept: 'application/json', ...headers },
      timeout: config.timeoutMs,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
      maxRedirects: 0,
    });
  } catch (e) {
    const code = axios.isAxiosError(e) ? e.code : undefined;
    throw errorFromTransport(
      { ...(code ? { code } : {}), message: 'catalog request failed', timedOut: code === 'ECONNABORTED' },
      where,
    );
  }
  const text = typeof res.data === 'string' ? res.data : '';
  if (res.status !== 200) throw errorFromStatus(res.status, text, undefined, where);
  let doc: { code?: unknown; types?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    doc = {};
  }
  if (doc.code !== 0 || !Array.isArray(doc.types)) {
    throw new LicbridgeError(
      ErrorCodes.TARGET_REJECTED,
      `target ${target}: catalog from ${url.origin} failed: answer is not { code: 0, types: [...] }`,
      {
        context: { target },
      },
    );
  }
  return doc.types.filter(
    (t): t is PublishedType =>
      typeof t === 'object' &&
      t !== null &&
      typeof (t as PublishedType).code === 'string' &&
      typeof (t as PublishedType).name === 'string',
  );
}
