// Text from the data, made safe to print: a terminal obeys control characters, so a place
// named "\x1b]0;pwned\x07" would set the window title, colours and backspaces would hide
// text, and bidi overrides would reorder it. Every such character is printed as an escape.

/**
 * C0 controls (newline and tab included: a cell or a message is one line), DEL, C1 controls,
 * and the Unicode bidi embeddings, overrides and isolates.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number) =>
  (c.codePointAt(0) as number).toString(16).padStart(width, "0");

/** `text` with each control character written as `\xHH` (or `\uHHHH` beyond U+00FF). */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) =>
    c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`,
  );
}

/** Lines of a message, each escaped, the line breaks between them kept. */
export function escapeLines(text: string): string {
  return text.split("\n").map(escapeControls).join("\n");
}

/**
 * JSON text with the characters JSON.stringify leaves raw (DEL, C1 controls, bidi controls)
 * written as `\uHHHH` escapes: the same JSON, harmless on a terminal.
 */
export function escapeJson(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${hex(c, 4)}`,
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
