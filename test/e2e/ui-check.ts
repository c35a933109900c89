import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

export const SHOTS = join(import.meta.dirname, '../../test-results/screenshots/ui');
const AXE = join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

export const VIEWPORTS = [
  { name: '1366', width: 1366, height: 900 },
  { name: '390', width: 390, height: 844 },
] as const;

/** Internal codes that must never be visible to people: period ids, audit codes, storage keys, hashes, CLI commands. */
export const INTERNAL = [
  /\b\d{4}-(?:Q[1-4]|H1|9M)\b/,
  /\b(?:intake|report|draft|email|approval|decision|submission)\.[a-z]+_?[a-z_]*\b/,
  /\braw\//,
  /\b[0-9a-f]{64}\b/,
  /\bdự thảo v\d/i,
  /\bbaocao (?:recompile|abandon)\b/,
  /X-Amz-/,
];

export function internalCodesIn(text: string): string[] {
  return INTERNAL.flatMap((re) => {
    const m = re.exec(text);
    return m ? [m[0]] : [];
  });
}

/** The checks every page passes at each width: screenshot, no horizontal scroll, axe, no internal code. */
export async function checkPage(page: Page, name: string, width: string) {
  await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} at ${width} px scrolls horizontally by ${overflow} px`).toBeLessThanOrEqual(0);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    type Axe = { run(ctx: Document, opts: unknown): Promise<{ violations: unknown[] }> };
    const res = await (window as unknown as { axe: Axe }).axe.run(document, { resultTypes: ['violations'] });
    return (res.violations as Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>)
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `${name} at ${width} px`).toEqual([]);
  // innerText on purpose: only what is rendered (closed <details> with keys and hashes excluded).
  // biome-ignore lint/performance/useDomNodeTextContent: textContent would include folded technical detail
  const text = await page.evaluate(() => document.body.innerText);
  expect(internalCodesIn(text), `${name} at ${width} px shows internal codes`).toEqual([]);
}

/**
 * A page signed in as the local system's operator: the printed sign-in link sets its cookie
 * (loopback is not authorization, infra/local/operator.ts).
 */
export async function operatorPage(browser: Browser, signinUrl: string, options?: Parameters<Browser['newPage']>[0]): Promise<Page> {
  const page = await browser.newPage(options);
  const res = await page.goto(signinUrl);
  expect(res?.ok(), 'operator sign-in').toBe(true);
  return page;
}

/** Opens a URL at both widths and checks it (as the operator when `signinUrl` is given). */
export async function visitBoth(browser: Browser, url: string, name: string, signinUrl?: string) {
  for (const v of VIEWPORTS) {
    const viewport = { viewport: { width: v.width, height: v.height } };
    const page = signinUrl ? await operatorPage(browser, signinUrl, viewport) : await browser.newPage(viewport);
    await page.goto(url);
    await checkPage(page, name, v.name);
    await page.close();
  }
}
