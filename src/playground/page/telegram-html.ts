/// <reference lib="dom" />
/**
 * Telegram's HTML subset turned into DOM nodes, never through innerHTML: only the tags
 * Telegram accepts become elements, links only with http(s) or tg: addresses, and
 * everything else (an unknown tag, an attribute) is dropped or shown as text.
 */

const TAGS: Record<string, keyof HTMLElementTagNameMap> = {
  b: 'b',
  strong: 'b',
  i: 'i',
  em: 'i',
  u: 'u',
  ins: 'u',
  s: 's',
  strike: 's',
  del: 's',
  code: 'code',
  pre: 'pre',
  a: 'a',
  'tg-spoiler': 'span',
  blockquote: 'blockquote',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, (whole, name: string) => {
    const named = NAMED_ENTITIES[name.toLowerCase()];
    if (named) return named;
    const code = name.startsWith('#x') || name.startsWith('#X') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  return /^(https?:\/\/|tg:\/\/|mailto:)/i.test(trimmed) ? trimmed : undefined;
}

/** Addresses and /commands in plain text become links, as Telegram shows them. */
export function appendLinkified(parent: Node, text: string, insideLink: boolean): void {
  if (insideLink) {
    parent.appendChild(document.createTextNode(text));
    return;
  }
  const pattern = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])|((?:^|(?<=[\s(]))\/[a-zA-Z]\w*(?:@\w+)?)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) parent.appendChild(document.createTextNode(text.slice(last, index)));
    const link = document.createElement('a');
    link.textContent = match[0];
    if (match[1]) {
      link.href = match[1];
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    } else {
      link.href = '#';
      link.className = 'command';
      link.dataset.command = match[0];
    }
    parent.appendChild(link);
    last = index + match[0].length;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

export function renderTelegramHtml(html: string): DocumentFragment {
  const root = document.createDocumentFragment();
  const stack: Array<{ name: string; node: Node }> = [{ name: '', node: root }];
  const top = () => stack[stack.length - 1]!;
  const noLinks = () => stack.some((s) => s.name === 'a' || s.name === 'code' || s.name === 'pre');
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const end = lt < 0 ? -1 : html.indexOf('>', lt);
    if (lt < 0 || end < 0) {
      appendLinkified(top().node, decodeEntities(html.slice(i)), noLinks());
      break;
    }
    if (lt > i) appendLinkified(top().node, decodeEntities(html.slice(i, lt)), noLinks());
    const tag = html.slice(lt + 1, end).trim();
    const closing = tag.startsWith('/');
    const name = (closing ? tag.slice(1) : tag).split(/[\s/]/)[0]!.toLowerCase();
    const spoilerSpan = name === 'span' && /class\s*=\s*["']tg-spoiler["']/i.test(tag);
    const known = TAGS[name] ? name : spoilerSpan ? 'tg-spoiler' : undefined;
    if (closing) {
      const canonical = name === 'span' ? 'tg-spoiler' : name;
      const at = stack.map((s) => s.name).lastIndexOf(canonical);
      if (at > 0) stack.length = at;
    } else if (known) {
      const element = document.createElement(TAGS[known]!);
      if (known === 'tg-spoiler') element.className = 'spoiler';
      if (known === 'a') {
        const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
        const target = href ? safeHref(decodeEntities(href[1] ?? href[2] ?? '')) : undefined;
        if (target) {
          (element as HTMLAnchorElement).href = target;
          (element as HTMLAnchorElement).target = '_blank';
          (element as HTMLAnchorElement).rel = 'noopener noreferrer';
        }
      }
      top().node.appendChild(element);
      stack.push({ name: known, node: element });
    }
    i = end + 1;
  }
  return root;
}
