// A JSON event file (an array of events, or `{ version: 1, events: [...] }` as timeline.toJSON()
// writes it), read by `import` and by the read commands alike: an array element by element; an
// object whole when it is a file of up to 64 MiB (as parseEventsText reads it, with its
// messages), else streamed. No file is ever one string past that (a 763 MB toJSON() file is
// past V8's longest string).

import type { Readable } from "node:stream";
import type { FileProblem, ParsedFile } from "../formats/parsed-file.js";
import { parseEventsText } from "../formats/text.js";
import { arrayElements } from "./json-array.js";
import { objectEvents } from "./json-object.js";

/**
 * Largest `{ version, events }` file read whole; larger ones, and any on standard input
 * (`size` undefined), are streamed.
 */
export const WHOLE_JSON = 64 * 1024 * 1024;

/** Events handed on in batches of this many as they are read. */
const BATCH = 10_000;

/** Where a JSON file's events go as they are read. */
export interface JsonSink {
  /**
   * Called once, before any events, with the file's `timeZone` member (`undefined` for an
   * array, or when it has none); returns a problem with it, if any (nothing is read then).
   */
  open(timeZone: unknown): string | undefined;
  /** A batch of events (parsed, unchecked), with the line each starts on. */
  add(events: unknown[], lines: number[]): void;
}

/** The whole text of a stream of UTF-8 (a file known to be small). */
export async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads the events of a JSON file into `sink`; returns the problems found in reading it (the
 * events' own problems are the sink's to find). `first` is the text already peeked at the start
 * of `stream`; `size` the file's size (`undefined` for standard input).
 */
export async function readJsonEvents(
  stream: Readable,
  first: string,
  size: number | undefined,
  sink: JsonSink,
): Promise<FileProblem[]> {
  const problems: FileProblem[] = [];
  const refused = (line: number, message: string) => {
    problems.push({ line, message });
    return problems;
  };
  const whole = (text: string) => {
    const parsed = parseEventsText(text, { format: "json" });
    const wrong = sink.open(parsed.timeZone);
    if (wrong !== undefined) return refused(1, wrong);
    for (let i = 0; i < parsed.events.length; i += BATCH)
      sink.add(parsed.events.slice(i, i + BATCH), parsed.lines.slice(i, i + BATCH));
    return parsed.problems;
  };
  const elements = async (array: Readable, lineOffset: number) => {
    let events: unknown[] = [];
    let lines: number[] = [];
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
      if (events.length >= BATCH) {
        sink.add(events, lines);
        events = [];
        lines = [];
      }
    }
    sink.add(events, lines);
  };

  if (
    first
      .replace(/^\ufeff/, "")
      .trimStart()
      .startsWith("[")
  ) {
    sink.open(undefined);
    await elements(stream, 0);
    return problems;
  }
  if (size !== undefined && size <= WHOLE_JSON) return whole(await streamText(stream));
  const opened = await objectEvents(stream);
  if ("problem" in opened) {
    // Ended within 64 MiB without an events array: one event as an object, or not JSON.
    if (opened.whole !== undefined) return whole(opened.whole);
    sink.open(undefined);
    return refused(opened.line, opened.problem);
  }
  const { members } = opened;
  const wrong =
    members.version !== 1
      ? `version ${JSON.stringify(members.version)} is not 1 (toJSON output)`
      : sink.open(members.timeZone);
  if (wrong !== undefined) {
    opened.array.destroy();
    if (members.version !== 1) sink.open(undefined);
    return refused(1, wrong);
  }
  await elements(opened.array, opened.lineOffset);
  const after = await opened.rest;
  if (after !== undefined) problems.push({ line: after.line, message: after.problem });
  return problems;
}

/** Every event of a JSON event file, with the line each starts on (for `import`). */
export async function readJsonFile(
  stream: Readable,
  first: string,
  size: number | undefined,
): Promise<ParsedFile> {
  const events: unknown[] = [];
  const lines: number[] = [];
  const problems = await readJsonEvents(stream, first, size, {
    open: () => undefined,
    add: (batch, at) => {
      for (const event of batch) events.push(event);
      for (const line of at) lines.push(line);
    },
  });
  return { format: "json", events, lines, skipped: [], problems };
}
