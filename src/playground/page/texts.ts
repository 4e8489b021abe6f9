/**
 * The playground page's own labels in all five languages (locales/<lang>/playground.json,
 * bundled by esbuild as the form page bundles web.json), shown in the Telegram language
 * of the person one is being.
 */
import en from '../../../locales/en/playground.json' with { type: 'json' };
import lv from '../../../locales/lv/playground.json' with { type: 'json' };
import pl from '../../../locales/pl/playground.json' with { type: 'json' };
import ru from '../../../locales/ru/playground.json' with { type: 'json' };
import uk from '../../../locales/uk/playground.json' with { type: 'json' };
import { fill } from '../../web/page-kit/dom.js';
import { localeOf } from '../../web/page-kit/language.js';

export { localeOf };

export type TextName = keyof typeof en.playground.page;
const TEXTS: Record<string, Record<TextName, string>> = { en: en.playground.page, lv: lv.playground.page, pl: pl.playground.page, ru: ru.playground.page, uk: uk.playground.page };

/** The text in this language, its {{placeholders}} filled. */
export function playgroundText(locale: string | undefined, name: TextName, vars: Record<string, string | number> = {}): string {
  const text = TEXTS[localeOf(locale)]![name] ?? TEXTS.en![name];
  return fill(text, vars);
}
