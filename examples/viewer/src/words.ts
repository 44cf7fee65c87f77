// Names and words: how the page writes places, actors, times, sources and reports, as text
// and as small pieces of HTML.

import { type ArrestsEntry, NOBODY_COLOR, type Precision } from "tidemark";
import { timeWords } from "../../palmyra/events.js";
import { own } from "./own.js";
import { clock, colors, known, meta } from "./state.js";
import { formatAt } from "./time.js";

export const placeName = (id: string) => own(meta.places, id)?.name ?? id;
export const actorName = (id: string) => {
  const entry = own(meta.actors, id);
  return entry?.names?.en ?? entry?.name ?? id;
};
export const who = (controller: string | null | undefined) =>
  controller === undefined ? "no report" : controller === null ? "nobody" : actorName(controller);
export const fmt = (at: number, precision: Precision, words?: string) =>
  formatAt(at, precision, clock, words);
export const sourcesOf = (eventId: string) => {
  const names = known.get(eventId)?.sources.map((s) => s.name) ?? [];
  return names.length > 0 ? names.join(", ") : "no source named";
};
/**
 * An instant an event set (a control entry's `since`, a claim's, an interval's ends), with the
 * event's own words for its time ("[dawn] …" in its note) when the event is at that instant.
 */
export const eventTime = (eventId: string | undefined, at: number, precision: Precision) => {
  const event = eventId === undefined ? undefined : known.get(eventId);
  const time = fmt(at, precision, event?.at === at ? timeWords(event.note) : undefined);
  // An event known only between two times ("on the 8th or later") prints as that span.
  if (event?.notBefore === undefined || event.at !== at) return time;
  return `${fmt(event.notBefore, event.notBeforePrecision ?? precision)} – ${time}`;
};

/**
 * When a value was set: "since <time>"; for a `Held` report "reported holding, <time>", since
 * a report that an actor holds a place is a status at that time, not a capture.
 */
export function sinceText(eventId: string, since: number, precision: Precision): string {
  const time = eventTime(eventId, since, precision);
  return known.get(eventId)?.type === "Held" ? `reported holding, ${time}` : `since ${time}`;
}

/** Arrests as reported: a number only where the reports give one, never 0 for unknown. */
export function arrestsText(a: ArrestsEntry): string {
  const reports = `${a.events} arrest report${a.events === 1 ? "" : "s"}`;
  const counted = a.events - a.uncounted;
  if (counted === 0) return `${reports}, number unknown`;
  const more =
    a.uncounted === 0
      ? ""
      : `, and more in ${a.uncounted} report${a.uncounted === 1 ? "" : "s"} giving no number`;
  return `${reports}: ${a.detained} detained${more}`;
}

/** A colour chip and a name, as HTML. */
export function chip(controller: string | null | undefined): string {
  return `${dot(controller)}${html(who(controller))}`;
}

/** A colour chip, as HTML. */
export function dot(controller: string | null | undefined): string {
  const color =
    controller === undefined
      ? "#ffffff"
      : controller === null
        ? NOBODY_COLOR
        : (own(colors, controller) ?? "#555555");
  return `<span class="chip" style="--chip:${color}"></span>`;
}

export function html(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}
