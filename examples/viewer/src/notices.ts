// Messages above the map: the rows of a file left off the map, and files that did not load.

import type { LoadFailure } from "./dataset.js";
import { $, meta } from "./state.js";
import { html } from "./words.js";

/** Rows of the file that are not on the map: one line, opening into the command's report. */
export function showNotices(): void {
  const box = $("messages");
  box.querySelector(".notice")?.remove();
  const skipped = meta.skipped;
  if (skipped === null) return;
  const details = document.createElement("details");
  details.className = "notice";
  details.innerHTML = `<summary>${html(skipped.summary)}: show the report</summary><pre>${html(skipped.lines.join("\n"))}</pre>`;
  box.prepend(details);
}

export function showFailure(failure: LoadFailure | undefined): void {
  const box = $("messages");
  box.querySelector(".error")?.remove();
  if (failure === undefined) return;
  const div = document.createElement("div");
  div.className = "error";
  div.setAttribute("role", "alert");
  const n = failure.problems.length;
  const shown = failure.problems.slice(0, 20).map((p) => `<li>${html(p)}</li>`);
  const more = n > 20 ? `<li>… and ${n - 20} more</li>` : "";
  div.innerHTML = `<button type="button" class="close" aria-label="Dismiss">×</button>
    <p><strong>${html(failure.file)} was not loaded</strong>: ${n} problem${n === 1 ? "" : "s"}. The page still shows ${html(meta.title)}.</p>
    <ul class="problems">${shown.join("")}${more}</ul>`;
  div.querySelector(".close")?.addEventListener("click", () => div.remove());
  box.append(div);
}
