/**
 * The URL of a platform's endpoint under the base `url` a target is configured with. A base may
 * carry a query (`https://gw.example.gov.cn/api?tenant=3702`: a gateway routing by tenant or
 * app id): appended to as text, the endpoint's path went after it (`…/api?tenant=3702/messages`),
 * a request to the base path with a tenant of `3702/messages`. Built with the URL API, the path
 * goes after the base's path and the base's query is kept after it, before the endpoint's own.
 */

/**
 * `path` (a `/`-led path, with a query of its own or not) under `base`: the base's path without its
 * trailing slashes, then `path`; the base's query, then the path's; no fragment. Throws a
 * `TypeError` for a `base` that is no absolute URL.
 */
export function urlUnder(base: string, path: string): URL {
  const url = new URL(base);
  const at = path.indexOf('?');
  const query = at < 0 ? '' : path.slice(at + 1);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${at < 0 ? path : path.slice(0, at)}`;
  // Appended as written: `searchParams` would re-encode the base's query (a space as `+`), and a
  // gateway checking a signature over it would see another request than the one signed.
  if (query !== '') url.search = url.search.length > 1 ? `${url.search}&${query}` : `?${query}`;
  url.hash = '';
  return url;
}
