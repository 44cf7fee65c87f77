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
    names: { en: "Syrian government forces", ar: "قوات النظام السوري" },
    aliases: ["Assad forces", "قوات الأسد"],
    kind: "state forces",
  },
  russia: {
    name: "Russian air force",
    names: { en: "Russian air force", ar: "الطيران الروسي" },
    kind: "state forces",
  },
} as const satisfies Registry;

/** An actor id of this registry. */
export type ActorId = keyof typeof actors;
