/**
 * The path a simulator serves its platform under, as a target's `url` with a path
 * (`https://gateway.example.gov.cn/license`) sends its requests: `/license/licenses/batch`.
 */

/** `path` without trailing slashes, `/`-led; '' for the root. */
export function basePathOf(path: string | undefined): string {
  const trimmed = (path ?? '').replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** `pathname` under `base` (`/license/licenses` → `/licenses`), or undefined when it is outside it. */
export function pathUnder(pathname: string, base: string): string | undefined {
  if (base === '') return pathname;
  if (pathname === base) return '/';
  return pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : undefined;
}
