import type { InlineKeyboard } from 'grammy';

/**
 * "«Half a day» or «A whole day»": the buttons of a step as the person should press them,
 * for a typed message where a button is expected. Buttons that stop the step come last.
 */
export function buttonChoices(keyboard: InlineKeyboard, locale: string): string {
  const labels = keyboard.inline_keyboard.flat().map((button) => `«${button.text}»`);
  return new Intl.ListFormat(locale, { type: 'disjunction' }).format(labels);
}
