import { InlineKeyboard } from 'grammy';
import type { Config } from '../config.js';
import type { Translate } from '../i18n.js';

/** Where the pages live under PUBLIC_URL. */
export const APP_PATH = '/app';

/** The coordinators' console page. */
export const CONSOLE_PATH = `${APP_PATH}/console`;

/** The console's address, opened as a Mini App; a tab (applications, matching, dashboard) may be named. */
export function consoleUrl(publicUrl: string, tab?: 'applications' | 'matching' | 'dashboard'): string {
  const url = new URL(`${publicUrl}${CONSOLE_PATH}/`);
  if (tab) url.searchParams.set('tab', tab);
  return url.toString();
}

/** "Open the console" as a row of a coordinator command's keyboard; nothing when PUBLIC_URL is not set. */
export function addConsoleButton(keyboard: InlineKeyboard, config: Config, t: Translate, tab?: 'applications' | 'matching' | 'dashboard'): InlineKeyboard {
  if (!config.publicUrl) return keyboard;
  return keyboard.row().webApp(t('console.open_button'), consoleUrl(config.publicUrl, tab)).row();
}

/** The page of one response (Telegram adds the signed init data to it when it opens). */
export function pageUrl(publicUrl: string, responseId: number, sectionId?: string): string {
  const url = new URL(`${publicUrl}${APP_PATH}/`);
  url.searchParams.set('r', String(responseId));
  if (sectionId) url.searchParams.set('s', sectionId);
  return url.toString();
}

/** "Open as a page" (a web_app button) added to a keyboard; nothing when PUBLIC_URL is not set. */
export function addOpenAsPage(keyboard: InlineKeyboard, config: Config, t: Translate, responseId: number, sectionId?: string): InlineKeyboard {
  if (!config.publicUrl) return keyboard;
  return keyboard.webApp(t('web.open_button'), pageUrl(config.publicUrl, responseId, sectionId));
}

/** A short "As a page" button opening one section, beside that section's chat button; nothing when PUBLIC_URL is not set. */
export function addSectionPage(keyboard: InlineKeyboard, config: Config, t: Translate, responseId: number, sectionId: string): InlineKeyboard {
  if (!config.publicUrl) return keyboard;
  return keyboard.webApp(t('web.open_section_button'), pageUrl(config.publicUrl, responseId, sectionId));
}

/** A keyboard with only "Open as a page", or undefined when PUBLIC_URL is not set. */
export function openAsPageKeyboard(config: Config, t: Translate, responseId: number, sectionId?: string): InlineKeyboard | undefined {
  return config.publicUrl ? addOpenAsPage(new InlineKeyboard(), config, t, responseId, sectionId) : undefined;
}
