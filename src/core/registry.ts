import { z } from "zod";
import { TimelineValidationError, type ValidationIssue } from "./errors.js";
import { type AreaGeometry, geometryIssues } from "./geometry.js";
import { idProblem } from "./id-rules.js";
import { nfc } from "./nfc.js";

/**
 * A place or an actor in a registry given to `createTimeline` (keyed by id).
 *
 * @example
 * const places = {
 *   palmyra: { name: "Palmyra", names: { ar: "تدمر" }, kind: "city", coordinates: [38.28, 34.56] },
 *   "palmyra-citadel": { name: "Palmyra citadel", parent: "palmyra", coordinates: [38.26, 34.56] },
 * } satisfies Record<string, RegistryEntry>;
 */
export interface RegistryEntry {
  readonly name: string;
  /** Names by language code (`{ ar: "تدمر" }`). */
  readonly names?: Readonly<Record<string, string>>;
  /** Other spellings that may stand for the id in any event. */
  readonly aliases?: readonly string[];
  /** Id of the enclosing place: capturing or leaving a place applies to its descendants. */
  readonly parent?: string;
  readonly kind?: string;
  /** `[longitude, latitude]` in degrees (WGS 84), as GeoJSON orders them. */
  readonly coordinates?: readonly [number, number];
  /** The place's area (GeoJSON Polygon or MultiPolygon), for `toGeoJSON` and `controlAreas`. */
  readonly geometry?: AreaGeometry;
}

/** A registry of places or actors, keyed by id. */
export type Registry = Readonly<Record<string, RegistryEntry>>;

const entrySchema = z.strictObject({
  name: z.string().min(1),
  names: z.record(z.string(), z.string()).optional(),
  aliases: z.array(z.string().min(1)).optional(),
  parent: z.string().min(1).optional(),
  kind: z.string().optional(),
  coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional(),
  // Checked by geometryIssues, which names the place and a [lat, lon] slip.
  geometry: z.unknown().optional(),
});

/** Resolves ids and aliases to ids, and knows each place's descendants. */
export class Resolver {
  private readonly ids = new Map<string, string>();
  private readonly children = new Map<string, string[]>();
  private readonly below = new Map<string, readonly string[]>();

  /**
   * Checks and indexes a registry in time linear in its size, without recursion: a registry
   * of 100,000 places, flat or one 100,000-deep chain, builds in milliseconds.
   */
  constructor(
    readonly kind: "places" | "actors",
    registry: unknown,
  ) {
    const issues: ValidationIssue[] = [];
    const problem = (path: (string | number)[], message: string) =>
      issues.push({ index: 0, path: [kind, ...path], message });
    if (typeof registry !== "object" || registry === null || Array.isArray(registry)) {
      throw new TimelineValidationError([
        { index: 0, path: [kind], message: "expected an object keyed by id" },
      ]);
    }
    const parents = new Map<string, string>();
    for (const [id, raw] of Object.entries(registry as Record<string, unknown>)) {
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          problem([id, ...(issue.path as (string | number)[])], issue.message);
        continue;
      }
      // The one id rule of events holds for every id a registry names, so that a registry
      // that one store holds, any other store holds too.
      const wrongId = (path: (string | number)[], text: string) => {
        const message = idProblem(text);
        if (message !== undefined) problem(path, message);
        return message !== undefined;
      };
      if (wrongId([id], id)) continue;
      // Ids and aliases are found in NFC, as events' references are given: NFC and NFD
      // spellings of one name are one place, and two entries so spelt are one id twice.
      this.claim(nfc(id), id, problem);
      (parsed.data.aliases ?? []).forEach((alias, i) => {
        if (!wrongId([id, "aliases", i], alias)) this.claim(nfc(alias), id, problem);
      });
      const parent = parsed.data.parent;
      if (parent === undefined || wrongId([id, "parent"], parent)) continue;
      if (!Object.hasOwn(registry, parent)) {
        problem([id, "parent"], `unknown parent "${parent}"`);
        continue;
      }
      parents.set(id, parent);
      const siblings = this.children.get(parent);
      if (siblings === undefined) this.children.set(parent, [id]);
      else siblings.push(id);
    }
    for (const id of cycles(parents)) {
      problem([id, "parent"], `"${id}" is its own ancestor (a cycle through "${parents.get(id)}")`);
    }
    for (const issue of geometryIssues(registry as Record<string, unknown>))
      problem([...issue.path], issue.message);
    if (issues.length > 0) throw new TimelineValidationError(issues);
  }

  private claim(
    name: string,
    id: string,
    problem: (path: (string | number)[], message: string) => void,
  ): void {
    const taken = this.ids.get(name);
    if (taken !== undefined && taken !== id) {
      problem([id, "aliases"], `"${name}" already stands for "${taken}"`);
    } else {
      this.ids.set(name, id);
    }
  }

  /** The id an id or alias stands for, or `undefined` when unknown. */
  resolve(name: string): string | undefined {
    return this.ids.get(name);
  }

  /** Every descendant of a place, depth first (each child before its own descendants). */
  descendants(id: string): readonly string[] {
    let out = this.below.get(id);
    if (out === undefined) {
      const list: string[] = [];
      // An explicit stack: a chain of any depth, no call stack to overflow.
      const stack = [...(this.children.get(id) ?? [])].reverse();
      for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
        list.push(at);
        const children = this.children.get(at);
        if (children !== undefined)
          for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as string);
      }
      out = Object.freeze(list);
      this.below.set(id, out);
    }
    return out;
  }
}

/**
 * The places on a cycle of `parents` (child -> parent), each visited once: a walk up from each
 * place stops at the first place already settled, so the whole check is linear.
 */
function cycles(parents: ReadonlyMap<string, string>): string[] {
  const settled = new Set<string>();
  const found: string[] = [];
  for (const start of parents.keys()) {
    if (settled.has(start)) continue;
    const path = new Map<string, number>();
    let at: string | undefined = start;
    while (at !== undefined && !settled.has(at) && !path.has(at)) {
      path.set(at, path.size);
      at = parents.get(at);
    }
    if (at !== undefined && path.has(at)) {
      const from = path.get(at) as number;
      for (const [id, i] of path) if (i >= from) found.push(id);
    }
    for (const id of path.keys()) settled.add(id);
  }
  return found;
}
