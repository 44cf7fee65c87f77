// Text from the data, made safe to print: a terminal obeys control characters, so a place
// named "\x1b]0;pwned\x07" would set the window title, colours and backspaces would hide
// text, and bidi overrides would reorder it. Every such character is printed as an escape.

/**
 * Every character that is invisible or moves other text: C0 controls (newline and tab
 * included: a cell or a message is one line), DEL, C1 controls, the Unicode format characters
 * (bidi marks, embeddings, overrides and isolates, the Arabic letter mark U+061C, zero-width
 * spaces and joiners, the BOM, tags) and the line and paragraph separators U+2028/U+2029.
 */
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const hex = (c: string, width: number) =>
  (c.codePointAt(0) as number).toString(16).padStart(width, "0");

/** `text` with each such character written as `\xHH`, `\uHHHH` or `\u{HHHHH}`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.codePointAt(0) as number;
    return code <= 0xff
      ? `\\x${hex(c, 2)}`
      : code <= 0xffff
        ? `\\u${hex(c, 4)}`
        : `\\u{${hex(c, 5)}}`;
  });
}

/**
 * A table cell of at most {@link MAX_CELL} characters: a longer one (a 1 MiB place id) is cut
 * with an ellipsis, so that one cell cannot pad every row of its column to its width.
 */
export const MAX_CELL = 120;

/** `cell` cut to {@link MAX_CELL} characters, the last of them an ellipsis. */
export function clipCell(cell: string): string {
  if (cell.length <= MAX_CELL) return cell;
  // Not inside a surrogate pair: a lone half would print as U+FFFD.
  let end = MAX_CELL - 1;
  const code = cell.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${cell.slice(0, end)}…`;
}

/** Lines of a message, each escaped, the line breaks between them kept. */
export function escapeLines(text: string): string {
  return text.split("\n").map(escapeControls).join("\n");
}

/**
 * JSON text with the characters JSON.stringify leaves raw (DEL, C1 controls, format characters,
 * U+2028/U+2029) written as `\uHHHH` escapes: the same JSON, harmless on a terminal.
 */
export function escapeJson(json: string): string {
  // JSON escapes are UTF-16 units: a character beyond U+FFFF (a tag) is two of them.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: C0 controls are left to JSON.stringify
  return json.replace(/(?![\u0000-\u001f])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) =>
    [...c].length === c.length
      ? `\\u${hex(c, 4)}`
      : `\\u${c.charCodeAt(0).toString(16)}\\u${c.charCodeAt(1).toString(16)}`,
  );
}

const PASSWORD_IN_URL = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi;
const PASSWORD_PARAMETER = /(\bpassword=)[^\s&]*/gi;

/** Text with the passwords of any connection strings in it replaced by `***`. */
export function redactPasswords(text: string): string {
  return text.replace(PASSWORD_IN_URL, "$1***@").replace(PASSWORD_PARAMETER, "$1***");
}

/** A message for standard error: one line, no control characters, no passwords. */
export function safeMessage(text: string): string {
  return escapeControls(redactPasswords(text));
}
