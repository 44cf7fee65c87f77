// NDJSON as a command's input: one event a line, appended in batches as the lines stream in.

import { NdjsonCollector } from "../../formats/ndjson.js";
import type { LoadedInput } from "../input.js";
import { MAX_LINE, readLines } from "../lines.js";
import { bytesRead, finishStreamed, type Source } from "./source.js";
import { Appender, BATCH, commandTimeline } from "./timeline.js";

/** Reads the lines into a new timeline; a line past 64 MiB is a problem, not a crash. */
export async function loadNdjson(source: Source): Promise<LoadedInput> {
  const { stream, progress } = source;
  const timeline = commandTimeline(source.options);
  const appender = new Appender(timeline);
  const collector = new NdjsonCollector();
  const tooLong: { line: number; message: string }[] = [];
  let pending = 0;
  for await (const { line, text } of readLines(stream)) {
    if (text === undefined) {
      tooLong.push({ line, message: `line too long (over ${MAX_LINE / 1024 / 1024} MiB)` });
      continue;
    }
    collector.line(text, line);
    if (++pending >= BATCH) {
      pending = 0;
      const batch = collector.drain();
      appender.add(batch.events, batch.lines);
      progress.update("reading", appender.count, "events", source.share(bytesRead(stream)));
    }
  }
  const batch = collector.drain();
  appender.add(batch.events, batch.lines);
  return finishStreamed(source, "ndjson", timeline, appender, [
    ...collector.problemList,
    ...tooLong,
  ]);
}
