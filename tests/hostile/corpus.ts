/**
 * The hostile-input corpus: files a hostile or careless world sends, each with what tidemark
 * must answer. `invalid` inputs fail every command with exit code 1 and a located message,
 * storing nothing; `valid` inputs hold hostile text in names and ids, which every command
 * must read and print with its control characters escaped.
 */

const line = (event: unknown) => `${JSON.stringify(event)}\n`;
const captured = (place: string, by = "isis", extra: Record<string, unknown> = {}) => ({
  type: "Captured",
  at: "2016-12-11",
  data: { place, by },
  ...extra,
});

/** Every terminal and markup trick a name can carry. */
export const NASTY_NAMES = [
  "\u001b]0;pwned\u0007", // sets the terminal's title
  "\u001b[31mred\u001b[0m", // colours
  "hidden\b\b\b\b\b\bshown", // backspaces over text
  "\u009b31mC1 CSI", // the one-byte C1 control sequence introducer
  "line\nbreak\rreturn\ttab",
  "del\u007fete",
  "\u202eevil\u202c", // bidi override: text shown reversed
  "\u2066isolate\u2069",
  "nul\u0000byte",
  "<script>alert(1)</script>",
  "]]><!--",
  "&amp;&#0;",
  "\ud800 lone surrogate",
] as const;

export interface InvalidInput {
  readonly name: string;
  /** File name (its extension picks the format, as for users). */
  readonly file: string;
  readonly content: string | Buffer;
  /** What stderr must say (every command, also `validate`). */
  readonly message: RegExp;
  /**
   * Bytes that the command line decodes before reading (UTF-16 is read, NUL bytes are refused
   * as binary data with exit 2): invalid as text given to `parseEventsText`, not as a file.
   * inputs.test.ts holds what the command does with them.
   */
  readonly decodedByCli?: true;
}

export const INVALID: readonly InvalidInput[] = [
  { name: "an empty file without extension", file: "empty", content: "", message: /empty input/ },
  { name: "an empty NDJSON file", file: "empty.ndjson", content: "", message: /empty input/ },
  { name: "only blank lines", file: "blank.ndjson", content: "\n  \n\t\n", message: /empty input/ },
  { name: "broken JSON", file: "broken.json", content: "[{]", message: /broken\.json:\d+: .*JSON/ },
  {
    name: "impossible dates",
    file: "dates.ndjson",
    content:
      line({ ...captured("palmyra"), at: "2016-13-45" }) +
      line({ ...captured("palmyra"), at: "2016-02-30" }) +
      line({ ...captured("palmyra"), at: "+999999-01-01" }),
    message: /dates\.ndjson:1: /,
  },
  {
    name: "a UTF-16 file",
    file: "utf16.ndjson",
    content: Buffer.from(`\ufeff${line(captured("palmyra"))}`, "utf16le"),
    message: /utf16\.ndjson:1: /,
    decodedByCli: true,
  },
  {
    name: "bytes that are not UTF-8",
    file: "latin1.ndjson",
    content: Buffer.concat([
      Buffer.from('{"type":"Captured","at":"2016","data":{"place":"'),
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from('","by":"a"}}\n'),
    ]),
    message: /latin1\.ndjson:1: /,
    decodedByCli: true,
  },
  {
    name: "markup instead of data",
    file: "page.json",
    content: "<html><script>alert(1)</script></html>",
    message: /page\.json:1: /,
  },
  {
    name: "data nested 100,000 deep",
    file: "deep.json",
    content: `[{"type":"Captured","at":"2016","data":{"place":${"[".repeat(100_000)}${"]".repeat(100_000)},"by":"a"}}]`,
    message: /deep\.json:1: data\.place/,
  },
  {
    name: "a __proto__ key in data",
    file: "proto.ndjson",
    content:
      '{"type":"Captured","at":"2016","data":{"place":"p","by":"a","__proto__":{"polluted":true}}}\n',
    message: /proto\.ndjson:1: /,
  },
  {
    name: "an unknown event type",
    file: "unknown.ndjson",
    content: line({ type: "Clashes", at: "2016", data: {} }),
    message: /unknown\.ndjson:1: .*Clashes/,
  },
  {
    name: "an ACLED file missing its columns",
    file: "acled.csv",
    content: 'event_id_cnty,notes\nSYR1,"=HYPERLINK(""http://x"")"\n',
    message: /acled\.csv/,
  },
];

/**
 * A name as an id: the id rule refuses U+0000 and lone surrogates in ids (event ids and the
 * ids a registry names), so they become U+2400 and U+FFFD there; names keep them.
 */
const asId = (name: string) =>
  name
    .replaceAll("\u0000", "\u2400")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

/** Valid events whose names and ids carry every trick above, and prototype words. */
export const HOSTILE_VALID = [
  ...NASTY_NAMES.map((name, i) =>
    captured(asId(name), `actor-${name}`, {
      // Not the lone surrogate nor U+0000: the id rule refuses them (names keep them).
      id: `id-${i}-${name.replace(/[\ud800-\udfff]/g, "").replaceAll("\u0000", "")}`,
      at: `2016-12-${String(10 + i).padStart(2, "0")}`,
    }),
  ),
  captured("constructor", "__proto__", { id: "prototype", at: "2016-12-30" }),
  captured("hasOwnProperty", "toString", { id: "__proto__", at: "2016-12-31" }),
]
  .map(line)
  .join("");

/** A registry of every place of {@link HOSTILE_VALID}, with coordinates (for geojson). */
export const HOSTILE_PLACES = Object.fromEntries(
  [...NASTY_NAMES, "constructor", "hasOwnProperty"].map((name, i) => [
    asId(name),
    { name, coordinates: [30 + i / 10, 30] },
  ]),
);
