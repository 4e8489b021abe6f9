/// <reference lib="dom" />
/** Small helpers for building the console's DOM: text is always set as text, never as HTML. */

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

export function button(text: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** Fills {{name}} placeholders of a locale text. */
export function fill(text: string | undefined, values: Record<string, string | number> = {}): string {
  return (text ?? '').replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(values[k] ?? ''));
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
