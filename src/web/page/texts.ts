/**
 * The page's own texts in all five languages (locales/<lang>/web.json, bundled by
 * esbuild): for what the page says before a form is loaded or when the bot refuses
 * it (401, 403), when there is no form view in the person's language yet.
 */
import en from '../../../locales/en/web.json' with { type: 'json' };
import lv from '../../../locales/lv/web.json' with { type: 'json' };
import pl from '../../../locales/pl/web.json' with { type: 'json' };
import ru from '../../../locales/ru/web.json' with { type: 'json' };
import uk from '../../../locales/uk/web.json' with { type: 'json' };
import { localeOf } from '../page-kit/language.js';

export { localeOf };

const TEXTS: Record<string, Record<string, string>> = { en: en.web.page, lv: lv.web.page, pl: pl.web.page, ru: ru.web.page, uk: uk.web.page };

export function pageText(locale: string | undefined, name: string): string {
  return TEXTS[localeOf(locale)]![name] ?? TEXTS.en![name] ?? '';
}
