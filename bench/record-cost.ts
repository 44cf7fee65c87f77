/**
 * What one plain record costs to make, by its number of keys: `node --import tsx
 * bench/record-cost.ts`. A state is plain data, so a query that reads one slice still makes
 * every slice's record; this prints the CPU time (`process.cpuUsage`) of filling a record of
 * N keys from flat arrays (what `KeyedIndex.record` does), of freezing it, of reading it with
 * `for … in` (what the workload's query does), and of filling a `Map` and an array, around
 * the size where V8 makes a record's hash table a large object (2,731 keys and more on a
 * 64-bit Node without pointer compression: a table of 8,192 entries of 3 words).
 *
 * A second table allocates plain arrays on either side of V8's 128 KB limit for a regular
 * heap object (15,000 and 17,000 elements of 8 bytes), to show that the step is the
 * large-object space itself (pages mapped and unmapped for each object), not dictionaries:
 * `strace -c` and `perf stat -e page-faults` on the same loops show one mmap and one munmap,
 * and about 34 page faults, per large object.
 */

const SIZES = [1000, 2700, 2800, 4000, 5000, 10_000];
const REPS = 1000;

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** CPU microseconds per call of `fn`, after a warm-up. */
function perCall(fn: () => unknown): number {
  for (let i = 0; i < 100; i++) fn();
  const start = cpuMs();
  for (let i = 0; i < REPS; i++) fn();
  return ((cpuMs() - start) / REPS) * 1000;
}

const rows: string[] = [
  "| keys | fill a record | fill + freeze | read with for … in | fill a Map | fill an array |",
  "| ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const n of SIZES) {
  const keys = Array.from({ length: n }, (_, i) => `p${(i * 7919) % n}`);
  const values = keys.map((_, i) =>
    Object.freeze({ controller: `a${i % 20}`, since: i, eventId: `e${i}` }),
  );
  const fill = () => {
    const record: Record<string, unknown> = {};
    for (let k = 0; k < n; k++) record[keys[k] as string] = values[k];
    return record;
  };
  const filled = fill();
  const read = () => {
    let held = 0;
    for (const key in filled) if (filled[key] !== undefined) held++;
    return held;
  };
  const map = () => {
    const m = new Map<string, unknown>();
    for (let k = 0; k < n; k++) m.set(keys[k] as string, values[k]);
    return m;
  };
  const array = () => {
    const a = new Array(n);
    for (let k = 0; k < n; k++) a[k] = values[k];
    return a;
  };
  const us = (v: number) => `${v.toFixed(0)} µs`;
  rows.push(
    `| ${n.toLocaleString("en")} | ${us(perCall(fill))} | ${us(perCall(() => Object.freeze(fill())))} | ${us(perCall(read))} | ${us(perCall(map))} | ${us(perCall(array))} |`,
  );
}
console.log(rows.join("\n"));

const large: string[] = [
  "",
  "| array of | bytes | allocate + touch one element a page |",
  "| ---: | ---: | ---: |",
];
for (const n of [15_000, 17_000, 30_000]) {
  const allocate = () => {
    const a = new Array(n);
    for (let i = 0; i < n; i += 512) a[i] = i;
    return a;
  };
  large.push(
    `| ${n.toLocaleString("en")} | ${((n * 8) / 1024).toFixed(0)} KB | ${perCall(allocate).toFixed(0)} µs |`,
  );
}
console.log(large.join("\n"));
