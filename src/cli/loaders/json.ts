// JSON as a command's input: an array of events, or `{ version: 1, events: [...] }` as
// timeline.toJSON() writes it (its `timeZone` kept unless --time-zone is given), appended in
// batches as it is read (see readJsonEvents).

import type { Timeline } from "../../core/timeline.js";
import type { LoadedInput } from "../input.js";
import { readJsonEvents } from "../json-file.js";
import { bytesRead, finishStreamed, type Source } from "./source.js";
import { Appender, commandTimeline } from "./timeline.js";

/** Reads the file's events into a new timeline, in the file's zone unless one is given. */
export async function loadJson(source: Source): Promise<LoadedInput> {
  const { options, progress, stream } = source;
  let made: { timeline: Timeline; appender: Appender } | undefined;
  const make = (timeZone: string | undefined) => {
    const timeline = commandTimeline({ ...options, timeZone });
    made = { timeline, appender: new Appender(timeline) };
    return made;
  };
  const problems = await readJsonEvents(stream, source.first, source.size, {
    open: (fileZone) => {
      const zone = options.timeZone ?? fileZone;
      if (zone !== undefined && typeof zone !== "string") {
        make(undefined);
        return "timeZone is not a string";
      }
      make(zone);
      return undefined;
    },
    add: (events, lines) => {
      const { appender } = made ?? make(options.timeZone);
      appender.add(events, lines);
      progress.update("reading", appender.count, "events", source.share(bytesRead(stream)));
    },
  });
  const { timeline, appender } = made ?? make(options.timeZone);
  return finishStreamed(source, "json", timeline, appender, problems);
}
