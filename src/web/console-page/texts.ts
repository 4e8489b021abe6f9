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

type Early = 'unauthorized' | 'failed';
const TEXTS: Record<string, Record<Early, string>> = { en: en.console.page, lv: lv.console.page, pl: pl.console.page, ru: ru.console.page, uk: uk.console.page };

/** One of the five languages for a Telegram or browser language code ("uk", "pl-PL"); English otherwise. */
export function localeOf(code: string | undefined): string {
  const base = (code ?? '').toLowerCase().split(/[-_]/)[0]!;
  return base in TEXTS ? base : 'en';
}

/** The person's language from the init data (even unsigned or forged: it only picks the refusal's language), else the browser's. */
export function languageOf(rawInitData: string | undefined): string {
  try {
    const user = JSON.parse(new URLSearchParams(rawInitData ?? '').get('user') ?? 'null') as { language_code?: string } | null;
    return localeOf(user?.language_code ?? navigator.language);
  } catch {
    return localeOf(navigator.language);
  }
}

export function earlyText(locale: string, name: Early): string {
  return TEXTS[localeOf(locale)]![name];
}
