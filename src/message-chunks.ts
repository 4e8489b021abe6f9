/** Telegram allows 4096 characters a message; leave room for what a caller adds. */
export const MESSAGE_LIMIT = 3900;

/** Joins lines into as few messages as fit under Telegram's limit; a line longer than a message is split safely. */
export function chunkMessages(lines: readonly string[], options: { separator?: string; limit?: number } = {}): string[] {
  const { separator = '\n', limit = MESSAGE_LIMIT } = options;
  const messages: string[] = [];
  let current = '';
  for (const line of lines.flatMap((l) => splitHtml(l, limit))) {
    if (current !== '' && current.length + separator.length + line.length > limit) {
      messages.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}${separator}${line}`;
    }
  }
  if (current !== '') messages.push(current);
  return messages;
}

/**
 * Splits HTML text into pieces of at most `limit` characters, only where no tag is open
 * and not inside a tag or an entity (so each piece is valid on its own), preferring a line
 * break, then a space. Text with no such place within the limit is left whole.
 */
export function splitHtml(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let open = 0;
    let inTag = false;
    let inEntity = false;
    let anySafe = -1;
    let space = -1;
    let newline = -1;
    for (let i = 0; i < limit; i++) {
      const c = rest[i]!;
      if (inTag) {
        if (c === '>') inTag = false;
        continue;
      }
      if (c === '<') {
        inTag = true;
        open += rest[i + 1] === '/' ? -1 : 1;
        continue;
      }
      if (c === '&') inEntity = true;
      else if (inEntity && c === ';') {
        inEntity = false;
        continue;
      }
      if (inEntity || open > 0 || i === 0) continue;
      // Cutting before position i is safe here.
      anySafe = i;
      if (c === ' ') space = i;
      if (c === '\n') newline = i;
    }
    const cut = newline > 0 ? newline : space > 0 ? space : anySafe;
    if (cut <= 0) break;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]+/, '');
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}
