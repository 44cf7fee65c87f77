// What bytes a file holds before they are read as text: UTF-8 (with or without a BOM),
// UTF-16 in either byte order (by its BOM, or by the NULs of mostly-ASCII text), the
// single-byte Windows-1252 that spreadsheets save on Windows, or no text at all (gzip, zip,
// binary). Browser-safe: TextDecoder only.

/** An encoding this reader decodes: the TextDecoder label. */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/** What the first bytes of a file say it is. */
export type Sniffed =
  | {
      readonly encoding: TextEncoding;
      /** Length of the byte order mark to skip (0 without one). */
      readonly bom: number;
    }
  | {
      /** Why the bytes are not read as text: what they are, and what to do. */
      readonly refused: string;
    };

/** The encoding's name as people know it, for messages. */
export const ENCODING_NAMES: Readonly<Record<TextEncoding, string>> = {
  "utf-8": "UTF-8",
  "utf-16le": "UTF-16 LE",
  "utf-16be": "UTF-16 BE",
  "windows-1252": "Windows-1252",
};

/**
 * The encoding of a file from its first bytes (the more, the surer: 64 KiB is plenty).
 *
 * - A BOM decides: UTF-8, UTF-16 LE or BE.
 * - Without one, NULs at every other byte mean UTF-16 (LE when they follow the letters).
 * - gzip (`1f 8b`), zip (`PK\x03\x04`) and other binary data (NULs elsewhere) are refused.
 * - Bytes that are valid UTF-8 are UTF-8; others (a lone 0xE9 for "é") are Windows-1252,
 *   which Excel on Windows writes, and whose every byte is a character.
 */
export function sniffEncoding(bytes: Uint8Array): Sniffed {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: "utf-8", bom: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: "utf-16le", bom: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: "utf-16be", bom: 2 };
  if (b0 === 0x1f && b1 === 0x8b) {
    return { refused: "is gzip-compressed, not text: decompress it first (gunzip)" };
  }
  if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) {
    return { refused: "is a zip archive, not text: extract the file from it first (unzip)" };
  }
  const sixteen = utf16ByNuls(bytes);
  if (sixteen !== undefined) return { encoding: sixteen, bom: 0 };
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { refused: `holds binary data (a NUL byte at offset ${nul}), not text` };
  }
  // A sequence cut at the end of the sample is not an error.
  const bad = utf8ErrorAt(bytes);
  return { encoding: bad === -1 || bad >= bytes.length - 3 ? "utf-8" : "windows-1252", bom: 0 };
}

/** UTF-16 told by its NULs: mostly-ASCII text has one at every other byte. */
function utf16ByNuls(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.6 && even < pairs * 0.05) return "utf-16le";
  if (even > pairs * 0.6 && odd < pairs * 0.05) return "utf-16be";
  return undefined;
}

/**
 * Offset of the first byte that does not begin a valid UTF-8 sequence (overlong forms,
 * surrogates and code points past U+10FFFF are invalid, as the standard says), or -1. A
 * sequence cut short by the end of `bytes` counts as invalid at its start.
 */
export function utf8ErrorAt(bytes: Uint8Array, from = 0): number {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const second = bytes[i + 1] as number;
    if (second < low || second > high) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k] as number;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * A refusal for bytes that are not UTF-8 where the file began as UTF-8: the line, the byte
 * and what it would be in Windows-1252, and what to do.
 */
export function notUtf8Message(line: number, byte: number): string {
  const as1252 = decodeWindows1252(new Uint8Array([byte]));
  return `line ${line} is not UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")}, "${as1252}" in Windows-1252), though the lines before it are: save the file as UTF-8, or convert it (iconv -f WINDOWS-1252 -t UTF-8)`;
}

/** Windows-1252's characters for bytes 0x80 to 0x9F (the five it leaves out as C1 controls). */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/**
 * Windows-1252 bytes as text. Written out rather than left to `TextDecoder`: Node's
 * "windows-1252" decoder reads 0x80 to 0x9F as Latin-1's C1 controls, so "’" (0x92) would be
 * lost.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const codes: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    codes.push(b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b);
    if (codes.length === 8192) {
      parts.push(String.fromCharCode(...codes));
      codes.length = 0;
    }
  }
  parts.push(String.fromCharCode(...codes));
  return parts.join("");
}
