/**
 * Colours for actors on maps and charts: the Okabe–Ito palette, which stays distinguishable
 * with the common forms of colour blindness (deuteranopia, protanopia, tritanopia).
 * Okabe M., Ito K. (2008), "Color Universal Design": https://jfly.uni-koeln.de/color/
 */

/**
 * The seven coloured Okabe–Ito colours, most distinct first (blue, vermillion, bluish green,
 * orange, reddish purple, sky blue, yellow). Black is left out: it is the colour of text,
 * axes and hatching.
 */
export const PALETTE: readonly string[] = Object.freeze([
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#E69F00",
  "#CC79A7",
  "#56B4E9",
  "#F0E442",
]);

/** The colour of "nobody holds it" (`controller: null`): a neutral grey, no actor's colour. */
export const NOBODY_COLOR = "#BBBBBB";

/**
 * One colour per actor id, stable: the same ids always get the same colours, whatever order
 * they are given in. Ids are sorted (by UTF-16 code units, not by locale) and take the
 * palette's colours in turn, cycling after seven.
 *
 * @example
 * actorColors(["regime", "isis"]); // { isis: "#0072B2", regime: "#D55E00" }
 */
export function actorColors(actorIds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const ids = [...new Set(actorIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  ids.forEach((id, i) => {
    Object.defineProperty(out, id, {
      value: PALETTE[i % PALETTE.length] as string,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return out;
}
