// Actors of the report, keyed by id; Arabic names as the report writes them.

import type { Registry } from "../../src/index.js";

export const actors = {
  isis: {
    name: "Islamic State (ISIS)",
    names: { en: "ISIS", ar: "داعش" },
    // The report also says "the organisation" (التنظيم) and "the extremists" (المتطرفين).
    aliases: ["Daesh", "IS"],
    kind: "armed group",
  },
  regime: {
    name: "Syrian government forces",
    names: { en: "government forces", ar: "قوات النظام السوري" },
    aliases: ["Assad forces", "قوات الأسد"],
    kind: "state forces",
  },
  russia: {
    // "Russian strikes" (الغارات الروسية), "Russian aircraft" (الطائرات الروسية): named by the
    // report and by the Russian Ministry of Defence.
    name: "Russian air force",
    names: { en: "Russian air force", ar: "الطيران الروسي" },
    kind: "state forces",
  },
  warplanes: {
    // "Warplanes carried out intensive strikes" (نفذت طائرات حربية غارات مكثفة): the report
    // does not say whose. Kept in its words rather than guessed.
    name: "warplanes (not named)",
    names: { en: "warplanes", ar: "طائرات حربية" },
    kind: "unnamed aircraft",
  },
} as const satisfies Registry;

/** An actor id of this registry. */
export type ActorId = keyof typeof actors;
