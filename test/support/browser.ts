/**
 * A real headless Chromium (Debian's, /usr/bin/chromium; `.ci/run` installs it) driven through
 * playwright-core, for tests of pages people read: render at a width, take a screenshot, find
 * text that overflows its box or the page.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LICBRIDGE_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Rendered {
  page: Page;
  /** Elements whose content is wider than their box, or that reach past the viewport. */
  overflows: string[];
  /** The page's visible text. */
  text: string;
  close(): Promise<void>;
}

/** Opens a file at the given viewport width; the caller closes it. */
export async function render(browser: Browser, file: string, width: number): Promise<Rendered> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`file://${file}`);
  // Evaluated in the page (strings: the test build has no DOM types).
  const overflows = (await page.evaluate(OVERFLOWS)) as string[];
  const text = (await page.evaluate('document.body.innerText')) as string;
  return { page, overflows, text, close: () => page.close() };
}

/** Elements whose content is wider than their box, or that reach past the viewport. */
const OVERFLOWS = `(() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw) out.push('page ' + document.documentElement.scrollWidth + 'px > ' + vw + 'px');
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.display === 'inline' || el.clientWidth === 0) continue;
    const what = el.tagName.toLowerCase() + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
    if (el.scrollWidth > el.clientWidth + 1) out.push(what + ': ' + el.scrollWidth + 'px in ' + el.clientWidth + 'px');
    const right = el.getBoundingClientRect().right;
    if (right > vw + 1) out.push(what + ': reaches ' + right + 'px of ' + vw + 'px');
  }
  return out;
})()`;
