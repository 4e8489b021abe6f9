import { describe, expect, it } from 'vitest';
import { readLocale } from '../src/i18n.js';
import { LOCALES } from '../src/locales.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const texts = Object.fromEntries(LOCALES.map((l) => [l, flatten(readLocale(l) as Tree)]));
  const english = texts.en!;

  it.each(LOCALES)('%s has exactly the keys English has', (locale) => {
    const keys = [...texts[locale]!.keys()];
    expect(keys.filter((k) => !english.has(k)), 'keys only in this language').toEqual([]);
    expect([...english.keys()].filter((k) => !texts[locale]!.has(k)), 'keys missing in this language').toEqual([]);
  });

  it.each(LOCALES)('%s uses the same placeholders as English in every text', (locale) => {
    const mismatched = [...english].filter(([key, text]) => {
      const other = texts[locale]!.get(key);
      return other !== undefined && placeholders(other).join() !== placeholders(text).join();
    });
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it.each(LOCALES)('%s has no empty texts', (locale) => {
    expect([...texts[locale]!].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });
});
