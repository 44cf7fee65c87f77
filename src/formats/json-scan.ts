// The one JSON scanner of tidemark: the whole-text reader of event files (`parseEventsText`)
// and the CLI's streamed readers (an array element by element, the events of a
// `{ version, events }` object) all walk JSON text with `JsonScanner`, chunk by chunk, so that
// lines, strings and brackets are counted one way everywhere; `JSON.parse` reads each piece.
// `jsonErrorOffset` locates the error in a text that `JSON.parse` refused.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPENER: Record<number, number> = { 125: 0x7b, 93: 0x5b }; // } -> {, ] -> [

/**
 * Walks JSON text given in any number of chunks: counts lines, skips strings whole (brackets
 * and quotes in them do not count) and blanks, and keeps the stack of open brackets. It checks
 * only that each closer matches its opener: the full grammar is `JSON.parse`'s to check, on
 * each piece that the scanner finds.
 *
 * @example
 * const scanner = new JsonScanner();
 * scanner.scan('[{"a": "]"}, 2]', (c) => {
 *   if (c === 0x2c && scanner.depth === 1) console.log("an element ends");
 *   return false;
 * });
 */
export class JsonScanner {
  /** The line of the character being visited, from 1. */
  line = 1;
  /** The closer that did not match its opener, when `scan` stopped at one. */
  mismatch: number | undefined;
  private inString = false;
  private escaped = false;
  private readonly stack: number[] = [];

  /** Brackets open before the character being visited. */
  get depth(): number {
    return this.stack.length;
  }

  /**
   * Walks `text` from `from`, calling `visit` with each character outside strings that is not
   * a blank (a string's opening quote included), before the stack counts it. Returns the index
   * where `visit` returned true (that character not yet counted), or where a closer did not
   * match its opener (`mismatch` set, the opener popped), or else `text.length`.
   */
  scan(text: string, visit: (c: number, i: number) => boolean, from = 0): number {
    this.mismatch = undefined;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09) continue;
      if (visit(c, i)) return i;
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.stack.push(c);
      else if (c === 0x7d || c === 0x5d) {
        if (this.stack.pop() !== OPENER[c]) {
          this.mismatch = c;
          return i;
        }
      }
    }
    return text.length;
  }
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * Offset of the first JSON syntax error in `text`, which `JSON.parse` refused (its messages
 * give a position in some engine versions only). The one check of the full grammar, for the
 * message of a file read whole; iterative, so deep nesting is no problem.
 */
export function jsonErrorOffset(text: string): number {
  const stack: ("{" | "[")[] = [];
  // What may come next: a value, a value or "]", a key, a key or "}", ":", or "," / a closer.
  let expect: "value" | "valueOrEnd" | "key" | "keyOrEnd" | "colon" | "after" = "value";
  let i = 0;
  const n = text.length;
  const string = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 92) {
        JSON_ESCAPE.lastIndex = i;
        if (!JSON_ESCAPE.test(text)) return false;
        i = JSON_ESCAPE.lastIndex;
      } else i++;
    }
    return false;
  };
  while (true) {
    while (i < n && " \t\n\r".includes(text[i] as string)) i++;
    if (i >= n) return n; // ended too early (the text is known to be invalid)
    const c = text[i] as string;
    if (expect === "after" && stack.length === 0) return i;
    if (expect === "colon") {
      if (c !== ":") return i;
      i++;
      expect = "value";
    } else if (expect === "after") {
      const top = stack[stack.length - 1];
      if (c === ",") expect = top === "{" ? "key" : "value";
      else if ((c === "}" && top === "{") || (c === "]" && top === "[")) stack.pop();
      else return i;
      i++;
    } else if (expect === "key" || expect === "keyOrEnd") {
      if (c === "}" && expect === "keyOrEnd") {
        stack.pop();
        i++;
        expect = "after";
      } else if (c === '"') {
        if (!string()) return i;
        expect = "colon";
      } else return i;
    } else if (c === "]" && expect === "valueOrEnd") {
      stack.pop();
      i++;
      expect = "after";
    } else if (c === "{" || c === "[") {
      stack.push(c);
      i++;
      expect = c === "{" ? "keyOrEnd" : "valueOrEnd";
    } else if (c === '"') {
      if (!string()) return i;
      expect = "after";
    } else {
      const literal = ["true", "false", "null"].find((word) => text.startsWith(word, i));
      if (literal !== undefined) i += literal.length;
      else {
        JSON_NUMBER.lastIndex = i;
        if (!JSON_NUMBER.test(text)) return i;
        i = JSON_NUMBER.lastIndex;
      }
      expect = "after";
    }
  }
}
