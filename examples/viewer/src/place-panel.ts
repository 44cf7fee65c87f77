// The panel of the selected place: who holds it at the instant, each source's claim, what
// else was reported there, and the history of its control.

import type { ControlInterval } from "tidemark";
import type { PlaceStory, SourceClaim } from "../../../src/cli/view-model.js";
import { own } from "./own.js";
import { $, known, meta, sliderPrecision, view, windowOf } from "./state.js";
import { arrestsText, chip, eventTime, fmt, html, sinceText, sourcesOf } from "./words.js";

export function renderPlace(
  story: PlaceStory | undefined,
  contested: ReadonlyMap<string, readonly SourceClaim[]>,
): void {
  const panel = $("place");
  const id = story?.id;
  const w = windowOf(view);
  if (story === undefined || id === undefined) {
    panel.innerHTML = `<p class="empty">Select a place on the map to see its history and what each source claims.</p>`;
    return;
  }
  const control = story.control ?? undefined;
  const history = story.history;
  const now =
    control === undefined
      ? `<p class="holder">${chip(undefined)} of who held it by ${html(fmt(view.at, sliderPrecision(w)))}</p>`
      : `<p class="holder" data-controller="${html(control.controller ?? "nobody")}">${chip(control.controller)}
         <span class="since">${html(sinceText(control.eventId, control.since, control.precision))}</span>
         <span class="cite">${html(sourcesOf(control.eventId))}</span></p>`;
  const disagree = contested.has(id) ? `<p class="warn">Sources disagree at this instant.</p>` : "";
  const activity = activityOf(story);

  panel.innerHTML = `${heading(id)}
    <section><h3>At ${html(fmt(view.at, sliderPrecision(w)))}</h3>${now}${disagree}
      ${activity.length > 0 ? `<p class="activity">${html(activity.join("; "))}</p>` : ""}</section>
    <section><h3>Each source’s claim</h3>${claimsHtml(story.claims)}</section>
    <section><h3>History of control</h3><p class="fine">All reports combined, latest wins; each
      interval cites the report that opened it.</p>${
        history.length === 0
          ? `<p class="empty">No control event for this place.</p>`
          : `<ol class="history">${historyRows(history)}</ol>`
      }<p class="fine">${
        view.asOf === undefined
          ? "Everything recorded"
          : `As known at ${html(fmt(view.asOf, sliderPrecision(w)))}`
      }${view.sources === undefined ? "" : `, ${html(view.sources.join(", ") || "no source")} only`}.</p></section>`;
}

/** The place's names (English, Arabic) and kind. */
function heading(id: string): string {
  const entry = own(meta.places, id);
  const arabic = entry?.names?.ar;
  const english = entry?.names?.en;
  return `<h2><span class="en">${html(entry?.name ?? id)}</span>${
    arabic === undefined ? "" : ` <span class="ar" lang="ar" dir="rtl">${html(arabic)}</span>`
  }</h2>
  <p class="kind">${html([english !== entry?.name ? english : undefined, entry?.kind].filter(Boolean).join(" · "))}</p>`;
}

function claimsHtml(claims: PlaceStory["claims"]): string {
  const claimRows = claims
    .map(
      (
        c,
      ) => `<tr data-source="${html(c.source)}" data-controller="${html(c.controller ?? "nobody")}">
        <th scope="row">${html(c.source)}</th>
        <td><div class="who">${chip(c.controller)}</div>
        <div class="time">${html(sinceText(c.eventId, c.since, c.precision))}${html(c.left === undefined ? "" : `, ${c.left} left`)}${c.standing ? "" : " · overtaken by a later report"}</div></td></tr>`,
    )
    .join("");
  return claims.length === 0
    ? `<p class="empty">No source says who held it by then.</p>`
    : `<table class="claims"><tbody>${claimRows}</tbody></table>`;
}

/** Air strikes, arrests and deaths reported at the place by then. */
function activityOf(story: PlaceStory): string[] {
  const strikes = story.airstrikes ?? undefined;
  const arrests = story.arrests ?? undefined;
  const deaths = story.deaths ?? undefined;
  return [
    strikes === undefined
      ? undefined
      : `${strikes.count} air strike report${strikes.count === 1 ? "" : "s"}, last ${fmt(strikes.lastAt, strikes.lastPrecision)}`,
    arrests === undefined ? undefined : arrestsText(arrests),
    deaths === undefined
      ? undefined
      : `${deaths.best} killed by UCDP's best estimate (low ${deaths.low}, high ${deaths.high})`,
  ].filter((x): x is string => x !== undefined);
}

function historyRows(history: readonly ControlInterval[]): string {
  const span = (i: ControlInterval, next: ControlInterval | undefined) =>
    `${eventTime(i.eventId, i.from, i.fromPrecision)} → ${
      i.to === null || i.toPrecision === null ? "…" : eventTime(next?.eventId, i.to, i.toPrecision)
    }`;
  return history
    .map((i, n) => {
      const current = i.from <= view.at && (i.to === null || view.at < i.to);
      const future = i.from > view.at;
      return `<li class="${current ? "current" : future ? "future" : ""}">
        <div class="who">${chip(i.controller)}${
          known.get(i.eventId)?.type === "Held" ? " (reported holding)" : ""
        }</div>
        <div class="time">${html(span(i, history[n + 1]))}</div><div class="cite">${html(sourcesOf(i.eventId))}</div></li>`;
    })
    .join("");
}
