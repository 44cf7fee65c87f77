// Places named in the report of Sunday 11 December 2016 ("كر وفر في تدمر"), keyed by id.
// Arabic names are the report's spellings. Coordinates are [longitude, latitude], WGS 84,
// approximate (a few km): good for a map of the area, not for targeting anything. Directions
// follow the report (e.g. Jabal al-Tar north-west of Palmyra, the silos north-east).
//
// Hierarchy. A Captured or Withdrew of a place applies to all of its descendants (a Withdrew
// only to the descendants the withdrawing actor holds), so a parent is given only where that
// rule keeps the story true:
// - Every place of the fighting is a child of `homs-east`, the eastern Homs countryside
//   ("ريف حمص الشرقي"). No event ever names `homs-east` itself: the region never changed hands
//   as a whole, and an event on it would overwrite every place in it.
// - The orchards are NOT a child of the city: at dawn on Sunday ISIS withdrew from the heart
//   of the city *towards* its orchards. As a child, the orchards would have been handed to
//   the government by that withdrawal, the opposite of what happened. No event says who held
//   the orchards, so they stay absent from the control state (unknown), as in the report.
// - The citadel is NOT a child of the city: it stands on its own hill west of the town, fell
//   separately (Saturday, after government forces withdrew from it), and the report says
//   nothing of it at dawn. As a child, the dawn withdrawal would have handed it back.
// - The Amiriya suburb is NOT a child of the city: the report only says it was bombed
//   ("around the Amiriya suburb, north of Palmyra"), not who held it at any time; as a child
//   it would follow each change of the city, which the report does not say.
// - The abandoned base is west of the T4 airbase, not part of it.
// - Tadmor district is an area for the map (the district Palmyra stands in), not a place of
//   the fighting: no event names it and it is no one's parent, so it is never anyone's.

import type { Registry } from "../../src/index.js";
import { tadmorDistrict } from "./areas.js";

export const places = {
  "homs-east": {
    name: "Eastern Homs countryside",
    names: { en: "Eastern Homs countryside", ar: "ريف حمص الشرقي" },
    kind: "region",
  },
  palmyra: {
    name: "Palmyra",
    names: { en: "Palmyra", ar: "تدمر" },
    aliases: ["Tadmur"],
    kind: "city",
    coordinates: [38.268, 34.556],
    parent: "homs-east",
  },
  "palmyra-citadel": {
    name: "Palmyra citadel",
    names: { en: "Palmyra citadel", ar: "قلعة تدمر الأثرية" },
    kind: "castle",
    coordinates: [38.256, 34.563],
    parent: "homs-east",
  },
  "palmyra-orchards": {
    name: "Palmyra orchards",
    names: { en: "the city's orchards", ar: "بساتين المدينة" },
    kind: "orchards",
    coordinates: [38.27, 34.543],
    parent: "homs-east",
  },
  amiriya: {
    name: "Amiriya",
    names: { en: "Amiriya suburb", ar: "ضاحية العامرية" },
    kind: "suburb",
    coordinates: [38.275, 34.575],
    parent: "homs-east",
  },
  "jabal-al-tar": {
    name: "Jabal al-Tar",
    names: { en: "Jabal al-Tar", ar: "جبل الطار" },
    kind: "mountain",
    coordinates: [38.225, 34.585],
    parent: "homs-east",
  },
  "wadi-al-ahmar": {
    name: "Wadi al-Ahmar",
    names: { en: "Wadi al-Ahmar", ar: "الوادي الأحمر" },
    kind: "valley",
    coordinates: [38.32, 34.59],
    parent: "homs-east",
  },
  "grain-silos": {
    name: "Grain silos",
    names: { en: "Grain silos", ar: "صوامع الحبوب" },
    kind: "silos",
    coordinates: [38.335, 34.6],
    parent: "homs-east",
  },
  "jabal-hayan": {
    // The report writes "جبل هيان" (Jabal Hayan) once and "جبل هيال" (Jabal Hayal) once:
    // one mountain south-west of the city, two spellings. The aliases let events use either.
    name: "Jabal Hayan",
    names: { en: "Jabal Hayan", ar: "جبل هيان" },
    aliases: ["jabal-hayal", "Jabal Hayal", "جبل هيال"],
    kind: "mountain",
    coordinates: [38.2, 34.52],
    parent: "homs-east",
  },
  "al-mahr-field": {
    name: "al-Mahr field",
    names: { en: "al-Mahr gas field", ar: "حقل المهر" },
    kind: "gas field",
    coordinates: [37.9, 34.69],
    parent: "homs-east",
  },
  "jazal-field": {
    name: "Jazal field",
    names: { en: "Jazal oil field", ar: "حقل جزل" },
    kind: "oil field",
    coordinates: [37.98, 34.72],
    parent: "homs-east",
  },
  "jahar-field": {
    name: "Jahar field",
    names: { en: "Jahar gas field", ar: "حقل جحار" },
    kind: "gas field",
    coordinates: [38.02, 34.66],
    parent: "homs-east",
  },
  "qasr-al-hallabat": {
    name: "Qasr al-Hallabat",
    names: { en: "Qasr al-Hallabat", ar: "قصر الحلابات" },
    kind: "ruin",
    coordinates: [38.15, 34.5],
    parent: "homs-east",
  },
  "t4-airbase": {
    name: "T4 airbase",
    names: { en: "Tiyas (T4) airbase", ar: "مطار التيفور" },
    aliases: ["Tiyas"],
    kind: "airbase",
    coordinates: [37.63, 34.523],
    parent: "homs-east",
  },
  "t4-abandoned-base": {
    name: "Abandoned base W of T4",
    names: { en: "abandoned army base west of T4", ar: "الكتيبة المهجورة" },
    kind: "army base",
    coordinates: [37.58, 34.52],
    parent: "homs-east",
  },
  raqqa: {
    // Named once: "hundreds of ISIS fighters arriving in Raqqa from Iraq", with no date and
    // no change of control (the example's custom Reinforcements event).
    name: "Raqqa",
    names: { en: "Raqqa", ar: "الرقة" },
    kind: "city",
    coordinates: [39.01, 35.95],
  },
  "tadmor-district": tadmorDistrict,
} as const satisfies Registry;

/** A place id of this registry. */
export type PlaceId = keyof typeof places;
