/**
 * `text` in Unicode Normalization Form C: the form ids, names and aliases are compared in, so
 * that NFC and NFD "Ḥomṣ", which print alike, are one place. ASCII (most ids) is returned as
 * it is, without the cost of normalising.
 */
export function nfc(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: any ASCII, controls included
  return /^[\u0000-\u007f]*$/.test(text) ? text : text.normalize("NFC");
}
