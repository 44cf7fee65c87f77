// An input stream as UTF-8 bytes, whatever encoding its file was saved in: what the readers
// of every format take. Bytes are never turned into U+FFFD: they are decoded as what they are,
// or refused with the line where they stop being text.

import { type Readable, Transform, type TransformCallback } from "node:stream";
import { TextDecoder } from "node:util";
import {
  decodeWindows1252,
  ENCODING_NAMES,
  notUtf8Message,
  sniffEncoding,
  type TextEncoding,
  utf8ErrorAt,
} from "../formats/encoding.js";
import { InputError } from "./input-error.js";

/** Bytes looked at to tell the encoding. */
const SAMPLE = 65_536;

/**
 * `stream` as UTF-8 bytes, with the encoding its first bytes show (see `sniffEncoding`).
 * UTF-8 passes through, checked as it streams; UTF-16 and Windows-1252 are decoded. Throws
 * {@link InputError} for gzip, zip and binary data; the stream errors with an `InputError`
 * naming the line of the first byte that is not text in the file's encoding.
 */
export async function decodedInput(
  stream: Readable,
  label: string,
): Promise<{ stream: Readable; encoding: TextEncoding }> {
  const { head, ended } = await readHead(stream, label);
  const sniffed = sniffEncoding(head);
  if ("refused" in sniffed) {
    stream.destroy();
    throw new InputError(`${label} ${sniffed.refused}`);
  }
  const decoder =
    sniffed.encoding === "utf-8" ? new Utf8Check(label) : new Decode(sniffed.encoding, label);
  // Progress reads how far into the file the reading is.
  Object.defineProperty(decoder, "bytesRead", {
    get: () => (stream as { bytesRead?: unknown }).bytesRead,
  });
  if (head.length > 0) decoder.write(head);
  if (ended) {
    decoder.end();
  } else {
    stream.on("error", (error) => decoder.destroy(error));
    stream.pipe(decoder);
  }
  return { stream: decoder, encoding: sniffed.encoding };
}

/** The first bytes of a stream (up to {@link SAMPLE}), taken out of it; whether it ended. */
async function readHead(
  stream: Readable,
  label: string,
): Promise<{ head: Buffer; ended: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Left open when it stops: the rest of the stream is piped on.
  const iterator = stream.iterator({ destroyOnReturn: false });
  try {
    while (size < SAMPLE) {
      const next = await iterator.next();
      if (next.done === true) return { head: Buffer.concat(chunks), ended: true };
      const chunk = next.value as unknown;
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(bytes);
      size += bytes.length;
    }
    await iterator.return?.();
  } catch (error) {
    throw new InputError(`cannot read ${label}: ${(error as Error).message}`);
  }
  return { head: Buffer.concat(chunks), ended: false };
}

const countLines = (bytes: Uint8Array, end = bytes.length): number => {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
};

/** UTF-8 passed through unchanged, each byte checked; the first invalid one ends the stream. */
class Utf8Check extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private lines = 0;

  constructor(private readonly label: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const bad = utf8ErrorAt(bytes);
    // A sequence cut by the chunk's end waits for the next chunk.
    const end = bad !== -1 && bad >= bytes.length - 3 && cutShort(bytes, bad) ? bad : -1;
    if (bad !== -1 && end === -1) {
      callback(this.refusal(bytes, bad));
      return;
    }
    const whole = end === -1 ? bytes : bytes.subarray(0, end);
    this.carry = end === -1 ? Buffer.alloc(0) : Buffer.from(bytes.subarray(end));
    this.lines += countLines(whole);
    callback(null, whole);
  }

  override _flush(callback: TransformCallback): void {
    if (this.carry.length > 0) callback(this.refusal(this.carry, 0));
    else callback();
  }

  private refusal(bytes: Buffer, at: number): InputError {
    const line = this.lines + countLines(bytes, at) + 1;
    return new InputError(`${this.label}: ${notUtf8Message(line, bytes[at] as number)}`);
  }
}

/** Whether the bytes from `at` are the start of a valid sequence that the chunk cut short. */
function cutShort(bytes: Uint8Array, at: number): boolean {
  const lead = bytes[at] as number;
  const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc2 ? 1 : 0;
  if (need === 0 || at + need < bytes.length) return false;
  for (let i = at + 1; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c < 0x80 || c > 0xbf) return false;
  }
  return true;
}

/** A file in another encoding, decoded and written out as UTF-8. */
class Decode extends Transform {
  private readonly decoder: TextDecoder | undefined;
  private lines = 0;

  constructor(
    private readonly encoding: TextEncoding,
    private readonly label: string,
  ) {
    super();
    this.decoder =
      encoding === "windows-1252" ? undefined : new TextDecoder(encoding, { fatal: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const { decoder } = this;
    this.push1(
      () =>
        decoder === undefined ? decodeWindows1252(chunk) : decoder.decode(chunk, { stream: true }),
      callback,
    );
  }

  override _flush(callback: TransformCallback): void {
    this.push1(() => this.decoder?.decode() ?? "", callback);
  }

  private push1(decode: () => string, callback: TransformCallback): void {
    let text: string;
    try {
      text = decode();
    } catch {
      callback(
        new InputError(
          `${this.label}: line ${this.lines + 1} is not ${ENCODING_NAMES[this.encoding]} (an unpaired surrogate or a cut character), though the file begins as ${ENCODING_NAMES[this.encoding]}: save it as UTF-8`,
        ),
      );
      return;
    }
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.lines++;
    callback(null, Buffer.from(text, "utf8"));
  }
}
