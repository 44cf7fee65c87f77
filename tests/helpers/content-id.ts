/**
 * The content-id recipe of the README ("Event ids"), written again from its description with
 * node:crypto's SHA-256, so that tests check tidemark's pure-TypeScript hash and its
 * canonical JSON against an independent implementation rather than against themselves.
 */
import { createHash } from "node:crypto";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** RFC 4648 base32, lower case, of the first 130 bits. */
function base32(bytes: Buffer): string {
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, "0")).join("");
  let out = "";
  for (let i = 0; i < 26 * 5; i += 5)
    out += "abcdefghijklmnopqrstuvwxyz234567"[Number.parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

/** The id tidemark gives a normalised event that has none (times in epoch ms). */
export function expectedContentId(event: {
  type: string;
  at: number;
  precision: string;
  recordedAt: number;
  sources: readonly object[];
  note?: string;
  notBefore?: number;
  notBeforePrecision?: string;
  version?: number;
  data: unknown;
}): string {
  const {
    type,
    at,
    precision,
    recordedAt,
    sources,
    note,
    notBefore,
    notBeforePrecision,
    version,
    data,
  } = event;
  const text = `tidemark-event-id-v1\n${canonical({ type, at, precision, recordedAt, data, sources, note, notBefore, notBeforePrecision, version })}`;
  return `h-${base32(createHash("sha256").update(text, "utf8").digest())}`;
}
