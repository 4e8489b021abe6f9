/// <reference lib="dom" />
/**
 * What the console says before the coordinator is known (the API refused the page, 401,
 * or did not answer), in the language Telegram gives the page: its own copy of
 * locales/<lang>/console.json, bundled by esbuild as the form page bundles web.json.
 */
import en from '../../../locales/en/console.json' with { type: 'json' };
import lv from '../../../locales/lv/console.json' with { type: 'json' };
import pl from '../../../locales/pl/console.json' with { type: 'json' };
import ru from '../../../locales/ru/console.json' with { type: 'json' };
import uk from '../../../locales/uk/console.json' with { type: 'json' };
import { localeOf } from '../page-kit/language.js';

export { languageOf } from '../page-kit/language.js';

type Early = 'unauthorized' | 'failed';
const TEXTS: Record<string, Record<Early, string>> = { en: en.console.page, lv: lv.console.page, pl: pl.console.page, ru: ru.console.page, uk: uk.console.page };

export function earlyText(locale: string, name: Early): string {
  return TEXTS[localeOf(locale)]![name];
}
