/** Telegram allows 4096 characters a message; leave room for what a caller adds. */
export const MESSAGE_LIMIT = 3900;

/** Joins lines into as few messages as fit under Telegram's limit; only a line longer than a message is split. */
export function chunkMessages(lines: readonly string[], options: { separator?: string; limit?: number } = {}): string[] {
  const { separator = '\n', limit = MESSAGE_LIMIT } = options;
  const messages: string[] = [];
  let current = '';
  for (const line of lines.flatMap((l) => splitLongLine(l, limit))) {
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
 * A line longer than a message, cut at the last line break or space before the limit
 * (HTML entities and the bot's tags hold no spaces, so a cut there keeps them whole).
 */
function splitLongLine(line: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const at = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const cut = at > limit / 2 ? at : limit;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  parts.push(rest);
  return parts;
}
