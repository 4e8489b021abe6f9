import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { TestBot } from './test-bot.js';
import { baseUrl, initDataFor } from './web.js';

/** Debian's Chromium (`.ci/run` installs it); the browser tests are skipped with a notice where it is missing. */
export const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium with its own profile directory, sized like a phone. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'citymentor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: ARGS,
    headless: true,
    viewport: { width: 390, height: 844 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const LIGHT_THEME = { bg_color: '#ffffff', text_color: '#000000', hint_color: '#707579', link_color: '#3390ec', button_color: '#3390ec', button_text_color: '#ffffff', secondary_bg_color: '#f4f4f5' };
export const DARK_THEME = { bg_color: '#212121', text_color: '#ffffff', hint_color: '#aaaaaa', link_color: '#8774e1', button_color: '#8774e1', button_text_color: '#ffffff', secondary_bg_color: '#181818' };

/**
 * Opens a response's page as Telegram would: the launch parameters (signed init data,
 * theme) in the address's hash, and Telegram's webview bridge mocked in the page.
 */
export async function openPage(
  browser: Browser,
  bot: TestBot,
  user: { id: number; first_name?: string; language_code?: string },
  responseId: number,
  options: { theme?: Record<string, string>; initData?: string; section?: string } = {},
): Promise<Page> {
  return openApp(browser, bot, user, `/app/?r=${responseId}${options.section ? `&s=${options.section}` : ''}`, options);
}

/** Opens the coordinators' console as Telegram would, optionally at a desktop's width. */
export async function openConsole(
  browser: Browser,
  bot: TestBot,
  user: { id: number; first_name?: string; language_code?: string },
  options: { theme?: Record<string, string>; initData?: string; desktop?: boolean; tab?: string } = {},
): Promise<Page> {
  const page = await openApp(browser, bot, user, `/app/console/${options.tab ? `?tab=${options.tab}` : ''}`, options);
  if (options.desktop) await page.setViewportSize({ width: 1280, height: 900 });
  return page;
}

async function openApp(
  browser: Browser,
  bot: TestBot,
  user: { id: number; first_name?: string; language_code?: string },
  address: string,
  options: { theme?: Record<string, string>; initData?: string },
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.addInitScript(() => {
    const events: Array<[string, unknown]> = [];
    (window as unknown as { __telegramEvents: typeof events }).__telegramEvents = events;
    (window as unknown as { TelegramWebviewProxy: unknown }).TelegramWebviewProxy = {
      postEvent: (name: string, data: string) => events.push([name, data]),
    };
  });
  const launch = new URLSearchParams({
    tgWebAppData: options.initData ?? initDataFor(bot, user),
    tgWebAppVersion: '8.0',
    tgWebAppPlatform: 'android',
    tgWebAppThemeParams: JSON.stringify(options.theme ?? LIGHT_THEME),
  });
  await page.goto(`${baseUrl(bot)}${address}#${launch.toString()}`);
  return page;
}

/** Waits for the page to save one answer (PUT) while `act` gives it. */
export async function saving(page: Page, act: () => Promise<unknown>): Promise<number> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/answers/') && r.request().method() === 'PUT'), act()]);
  return response.status();
}

/** The colour of the top-left pixel of a PNG screenshot, as #rrggbb (for x = 0 every PNG filter leaves the bytes as they are). */
export function topLeftColour(png: Buffer): string {
  let offset = 8;
  const data: Buffer[] = [];
  let colourType = 2;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const chunk = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') colourType = chunk[9]!;
    if (type === 'IDAT') data.push(chunk);
    offset += 12 + length;
  }
  if (colourType !== 2 && colourType !== 6) throw new Error(`unexpected PNG colour type ${colourType}`);
  const raw = inflateSync(Buffer.concat(data));
  return `#${[raw[1]!, raw[2]!, raw[3]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

interface AxeResults {
  violations: Array<{ id: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
  passes: Array<{ id: string }>;
}

/**
 * Runs axe-core (from node_modules, not from the internet) on the page for the WCAG
 * 2.1 A and AA rules: labels, names, contrast and the rest. Returns the violations,
 * each as "rule: the elements it found".
 */
export async function accessibilityViolations(page: Page): Promise<{ violations: string[]; checked: string[] }> {
  // Evaluated through the browser's devtools channel, which the page's CSP (no inline scripts) does not cover.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(axePath, 'utf8'));
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResults> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }),
  );
  return {
    violations: results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`),
    // The rules that found elements to check and passed them: proof that they ran on something.
    checked: results.passes.map((p) => p.id),
  };
}
