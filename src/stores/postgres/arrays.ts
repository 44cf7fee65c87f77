/**
 * Columns of many rows sent as one parameter each, for `unnest` (the bulk writes of an append
 * and of the read models). Each is made in one `join`: the driver's own conversion of an array
 * concatenates and escapes element by element, and for a batch of 10^5 events that cost
 * gigabytes of short-lived strings and seconds of garbage collection.
 */

/** Separates the elements of a text column sent as one string (JSON text never holds it raw). */
const UNIT = "\u001f";
/** Stands for NULL in a text column sent as one string. */
const NULL_MARK = "\u001e";
const QUOTED = /["\\]/g;

/** An array parameter: the SQL that makes it an array (`$n` in it), and its value. */
export interface ArrayParam {
  readonly sql: string;
  readonly value: string;
}

/**
 * `values` as parameter `$n`: text (as one string split by the server: nothing to escape,
 * unless an element holds the separator), or numbers as int8 when all are integers (an OFFSET
 * needs one; integer and double columns take them) and float8 otherwise (an all-NULL column
 * too). `where` names the statement in the error for a column that mixes text and numbers.
 */
export function arrayParam(values: readonly unknown[], n: number, where: string): ArrayParam {
  let strings = false;
  let numbers = false;
  let integers = true;
  let plain = values.length > 1;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v === "string") {
      strings = true;
      if (plain && (v.includes(UNIT) || v === NULL_MARK)) plain = false;
    } else {
      numbers = true;
      if (integers && !Number.isSafeInteger(v)) integers = false;
    }
  }
  if (strings && numbers) {
    throw new TypeError(`tidemark/postgres: a column of ${where} mixes text and numbers`);
  }
  if (strings && plain) {
    const parts = new Array<string>(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      parts[i] = v === null || v === undefined ? NULL_MARK : (v as string);
    }
    return { sql: `string_to_array($${n}::text, chr(31), chr(30))`, value: parts.join(UNIT) };
  }
  const type = strings ? "text" : integers && numbers ? "int8" : "float8";
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = "NULL";
    else if (typeof v === "number") parts[i] = Number.isFinite(v) ? String(v) : "NULL";
    else parts[i] = `"${(v as string).replace(QUOTED, "\\$&")}"`;
  }
  return { sql: `$${n}::${type}[]`, value: `{${parts.join(",")}}` };
}
