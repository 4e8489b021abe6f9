/// <reference lib="dom" />
/** The console's own form controls, on the pages' shared DOM helpers. */

import { el } from '../page-kit/dom.js';

export { el, fill } from '../page-kit/dom.js';

export function button(text: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

export function select(id: string, label: string, options: Array<[string, string]>, value: string, onChange: (value: string) => void): HTMLElement {
  const input = el('select', { id });
  for (const [v, text] of options) {
    const option = el('option', { value: v }, text);
    if (v === value) option.selected = true;
    input.append(option);
  }
  input.addEventListener('change', () => onChange(input.value));
  return el('div', { class: 'field' }, el('label', { for: id }, label), input);
}
