// Reads the code blocks of README.md and docs/*.md that the docs check compiles, runs and
// compares.
//
// TypeScript blocks (```ts) are compiled and run by default. An HTML comment on the line
// right before a block's opening fence changes that (invisible on GitHub and npm):
//   <!-- docs-check: continues -->     the block goes on from the previous ts block, in the
//                                      same module (it may use its names)
//   <!-- docs-check: compile-only -->  compiled, not run (needs a browser, a server...)
//   <!-- docs-check: fragment -->      neither (a fragment that cannot compile on its own;
//                                      use sparingly)
// Transcripts (```console blocks) are lines "$ command" each followed by what it prints
// (stdout, then stderr); a line "..." stands for any number of lines.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** How the docs check treats a TypeScript block. */
export type SnippetMode = "run" | "compile-only" | "fragment";

/** A module to compile: one ts block, or a block and the ones that continue it. */
export interface Snippet {
  /** Line of the opening fence of its first block in its file (1-based). */
  readonly line: number;
  readonly code: string;
  readonly mode: SnippetMode;
}

/** A command of a console transcript and what the page says it prints. */
export interface Transcript {
  readonly line: number;
  readonly command: string;
  readonly expected: readonly string[];
}

const MARKER = /^<!--\s*docs-check:\s*([a-z-]+)\s*-->$/;

interface Block {
  readonly line: number;
  readonly lang: string;
  readonly body: readonly string[];
  readonly marker: string | undefined;
}

function blocks(markdown: string, file: string): Block[] {
  const lines = markdown.split(/\r?\n/);
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] as string);
    if (open === null) continue;
    const close = lines.findIndex((l, k) => k > i && /^```\s*$/.test(l));
    if (close === -1) throw new Error(`${file}:${i + 1}: code block never closed`);
    const previous = i > 0 ? (lines[i - 1] as string).trim() : "";
    const marker = MARKER.exec(previous)?.[1];
    out.push({ line: i + 1, lang: open[1] ?? "", body: lines.slice(i + 1, close), marker });
    i = close;
  }
  return out;
}

/** The TypeScript modules of a page, blocks that continue one another joined. */
export function snippets(markdown: string, file = "README.md"): Snippet[] {
  const out: { line: number; code: string[]; mode: SnippetMode }[] = [];
  for (const block of blocks(markdown, file)) {
    if (block.lang !== "ts" && block.lang !== "typescript") continue;
    const { marker } = block;
    if (marker !== undefined && !["continues", "compile-only", "fragment"].includes(marker)) {
      throw new Error(`${file}:${block.line - 1}: unknown docs-check marker "${marker}"`);
    }
    const last = out.at(-1);
    if (marker === "continues") {
      if (last === undefined) throw new Error(`${file}:${block.line}: continues nothing`);
      last.code.push(...block.body);
      continue;
    }
    const mode: SnippetMode =
      marker === "fragment" ? "fragment" : marker === "compile-only" ? "compile-only" : "run";
    out.push({ line: block.line, code: [...block.body], mode });
  }
  return out.map((s) => ({ line: s.line, code: `${s.code.join("\n")}\n`, mode: s.mode }));
}

/** The commands of a page's console transcripts, with the output each shows. */
export function transcripts(markdown: string, file = "README.md"): Transcript[] {
  const out: Transcript[] = [];
  for (const block of blocks(markdown, file)) {
    if (block.lang !== "console") continue;
    let current: { line: number; command: string; expected: string[] } | undefined;
    block.body.forEach((text, k) => {
      if (text.startsWith("$ ")) {
        current = { line: block.line + 1 + k, command: text.slice(2), expected: [] };
        out.push(current);
      } else current?.expected.push(text);
    });
  }
  for (const t of out) {
    const expected = t.expected as string[];
    while (expected.length > 0 && expected.at(-1)?.trim() === "") expected.pop();
  }
  return out;
}

/** Whether `actual` lines match `expected`, where a line "..." stands for any lines. */
export function matches(expected: readonly string[], actual: readonly string[]): boolean {
  const [first, ...rest] = expected;
  if (first === undefined) return actual.length === 0;
  if (first.trim() === "...") {
    for (let k = 0; k <= actual.length; k++) if (matches(rest, actual.slice(k))) return true;
    return false;
  }
  return actual[0] === first && matches(rest, actual.slice(1));
}

/** A page of the docs: its path from the repository root and its text. */
export interface Page {
  readonly file: string;
  readonly text: string;
}

/** The pages the docs check reads: README.md, then every docs/*.md, sorted by name. */
export function pages(root: string): Page[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs].map((file) => ({
    file,
    text: readFileSync(join(root, file), "utf8"),
  }));
}
