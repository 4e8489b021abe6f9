/// <reference lib="dom" />
/**
 * Telegram's theme colours, kept readable: a pair that falls short of WCAG 2.1 AA
 * (4.5:1 for text) is replaced by black or white on the theme's background.
 */

type Theme = Record<string, string | undefined>;

const LIGHT = { bg: '#ffffff', text: '#000000', hint: '#595959', link: '#1a5fb4', button: '#1a5fb4', buttonText: '#ffffff', secondaryBg: '#f1f1f1', error: '#b00020' };
const DARK = { bg: '#17212b', text: '#f5f5f5', hint: '#aab4be', link: '#8cc8ff', button: '#8cc8ff', buttonText: '#0b1620', secondaryBg: '#232e3c', error: '#ff8a80' };

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return 0;
  return 0.2126 * channel(parseInt(m[1]!, 16)) + 0.7152 * channel(parseInt(m[2]!, 16)) + 0.0722 * channel(parseInt(m[3]!, 16));
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

const isColour = (v: string | undefined): v is string => v !== undefined && /^#[0-9a-f]{6}$/i.test(v);
const pick = (theme: Theme, snake: string) => theme[snake] ?? theme[snake.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())];

export function applyTheme(theme: Theme): void {
  const givenBg = pick(theme, 'bg_color');
  const dark = isColour(givenBg) ? luminance(givenBg) < 0.2 : matchMedia('(prefers-color-scheme: dark)').matches;
  const base = dark ? DARK : LIGHT;
  const bg = isColour(givenBg) ? givenBg : base.bg;
  const readable = (value: string | undefined, on: string, fallback: string) => (isColour(value) && contrast(value, on) >= 4.5 ? value : contrast(fallback, on) >= 4.5 ? fallback : dark ? '#ffffff' : '#000000');
  const text = readable(pick(theme, 'text_color'), bg, base.text);
  const button = isColour(pick(theme, 'button_color')) ? pick(theme, 'button_color')! : base.button;
  const vars: Record<string, string> = {
    '--bg': bg,
    '--text': text,
    '--hint': readable(pick(theme, 'hint_color'), bg, base.hint),
    '--link': readable(pick(theme, 'link_color'), bg, base.link),
    '--button': button,
    '--button-text': readable(pick(theme, 'button_text_color'), button, contrast('#ffffff', button) >= contrast('#000000', button) ? '#ffffff' : '#000000'),
    '--field-bg': bg,
    '--border': readable(undefined, bg, dark ? '#8a97a5' : '#767676'),
    '--error': readable(undefined, bg, base.error),
  };
  const root = document.documentElement;
  for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
  root.dataset.theme = dark ? 'dark' : 'light';
}
