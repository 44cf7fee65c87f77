// A JSON event file (an array of events, or `{ version: 1, events: [...] }` as timeline.toJSON()
// writes it) read for `import`: a small file whole, as parseEventsText reads it; a large one,
// or one on standard input, streamed element by element, so that no file is ever one string
// (a 763 MB toJSON() file is past V8's longest string).

import type { Readable } from "node:stream";
import { type FileProblem, type ParsedFile, parseEventsText } from "../formats/text.js";
import { arrayElements } from "./json-array.js";
import { objectEvents } from "./json-object.js";

/**
 * Largest JSON file read whole (as `parseEventsText` reads it, with its messages); larger ones,
 * and any on standard input (`size` undefined), are streamed.
 */
export const WHOLE_JSON = 64 * 1024 * 1024;

/** The whole text of a stream of UTF-8 (a file known to be small). */
export async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Every event of a JSON event file, with the line each starts on. `first` is the text already
 * peeked at the start of `stream` (which is still to be read whole).
 */
export async function readJsonFile(
  stream: Readable,
  first: string,
  size: number | undefined,
): Promise<ParsedFile> {
  if (size !== undefined && size <= WHOLE_JSON) {
    return parseEventsText(await streamText(stream), { format: "json" });
  }
  const events: unknown[] = [];
  const lines: number[] = [];
  const problems: FileProblem[] = [];
  const parsed = (): ParsedFile => ({ format: "json", events, lines, skipped: [], problems });
  const collect = async (array: Readable, lineOffset: number) => {
    for await (const item of arrayElements(array)) {
      const line = item.line + lineOffset;
      if ("problem" in item) {
        problems.push({ line, message: item.problem });
        continue;
      }
      try {
        events.push(JSON.parse(item.text));
        lines.push(line);
      } catch (error) {
        problems.push({ line, message: `not valid JSON: ${(error as Error).message}` });
      }
    }
  };
  if (
    first
      .replace(/^\ufeff/, "")
      .trimStart()
      .startsWith("[")
  ) {
    await collect(stream, 0);
    return parsed();
  }
  const opened = await objectEvents(stream);
  if ("problem" in opened) {
    // Ended within 64 MiB without an events array: one event as an object, or not JSON.
    if (opened.whole !== undefined) return parseEventsText(opened.whole, { format: "json" });
    problems.push({ line: opened.line, message: opened.problem });
    return parsed();
  }
  if (opened.members.version !== 1) {
    opened.array.destroy();
    const message = `version ${JSON.stringify(opened.members.version)} is not 1 (toJSON output)`;
    problems.push({ line: 1, message });
    return parsed();
  }
  await collect(opened.array, opened.lineOffset);
  const after = await opened.rest;
  if (after !== undefined) problems.push({ line: after.line, message: after.problem });
  return parsed();
}
