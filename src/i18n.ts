import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { projectRoot } from './db/paths.js';
import { LOCALES, type Locale } from './locales.js';

export type { TFunction };
export type Translate = TFunction;

export const localesDir = path.join(projectRoot, 'locales');

type Tree = { [key: string]: string | Tree };

/** A language's texts: every JSON file in its folder (one per feature), merged. */
export function readLocale(locale: Locale): Tree {
  const dir = path.join(localesDir, locale);
  const merged: Tree = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    mergeInto(merged, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Tree, `${locale}/${file}`);
  }
  return merged;
}

function mergeInto(target: Tree, source: Tree, file: string, prefix = ''): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof value === 'string' || existing === undefined) {
      if (existing !== undefined) throw new Error(`${file}: the key ${prefix}${key} is defined twice`);
      target[key] = value;
    } else if (typeof existing === 'string') {
      throw new Error(`${file}: the key ${prefix}${key} is defined twice`);
    } else {
      mergeInto(existing, value, file, `${prefix}${key}.`);
    }
  }
}

/**
 * One i18next instance for the whole bot; each update gets a translator fixed to
 * its person's language. Interpolated values are HTML-escaped because messages
 * are sent with parse_mode HTML.
 */
export async function createI18n(fallback: Locale) {
  const instance = i18next.createInstance();
  await instance.init({
    resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: readLocale(l) }])),
    lng: fallback,
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    // Telegram's HTML needs only these three escaped.
    interpolation: { escapeValue: true, escape: escapeHtml },
    returnNull: false,
  });
  // One translator per language, made once: every update asks for one.
  const fixed = new Map(LOCALES.map((l) => [l, remembering(instance.getFixedT(l))]));
  return {
    t(locale: Locale): Translate {
      return fixed.get(locale) ?? instance.getFixedT(locale);
    },
  };
}

/**
 * A translator that looks each text up once: the texts never change while the bot
 * runs, and a form step asks for a dozen of them (a lookup costs some 10 µs, see
 * bench/form-throughput.ts). Calls whose options are all numbers or yes/no flags
 * ("question 3 of 12") are remembered too, with their options; calls with any other
 * option, such as a person's own words, go to i18next as they are.
 */
function remembering(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  const translate = t as unknown as (...args: unknown[]) => unknown;
  return ((key: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string' || rest.length > 1) return translate(key, ...rest);
    const id = rest.length === 0 ? key : rememberedId(key, rest[0]);
    if (id === undefined) return translate(key, ...rest);
    let text = texts.get(id);
    if (text === undefined) {
      const result = translate(key, ...rest);
      if (rest.length > 0 && typeof result !== 'string') return result;
      text = String(result);
      // Numbers have no fixed bound: start over rather than grow for ever.
      if (texts.size >= MAX_REMEMBERED) texts.clear();
      texts.set(id, text);
    }
    return text;
  }) as unknown as TFunction;
}

const MAX_REMEMBERED = 10_000;

/** The key and options as one string, or undefined for options that are not remembered. */
function rememberedId(key: string, options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype) return undefined;
  let id = key;
  for (const name of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[name];
    // A default is part of the code, like the key.
    if (typeof value === 'number' || typeof value === 'boolean' || (name === 'defaultValue' && typeof value === 'string')) {
      id += `\u0000${name}\u0001${typeof value}\u0001${String(value)}`;
    } else {
      return undefined;
    }
  }
  return id;
}

export function escapeHtml(text: string): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export type I18n = Awaited<ReturnType<typeof createI18n>>;
