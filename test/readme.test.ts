// The README is the user's door: every TypeScript block in it runs here, in order, as one
// module, and every `console.log(...)` followed by `// output` comment lines must print exactly
// those lines (up to a line with "…", which marks an abbreviation).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { format } from "node:util";
import { expect, it } from "vitest";

const root = new URL("../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");

function blocks(lang: string, text = readme): string[] {
  const out: string[] = [];
  const re = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g");
  for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

it("the YAML override shown is examples/next.yaml", () => {
  const [yaml] = blocks("yaml");
  expect(yaml).toBe(readFileSync(new URL("examples/next.yaml", root), "utf8"));
});

/** Runs a document's TypeScript blocks as one module and checks the output they show. */
async function runBlocks(doc: string, text: string): Promise<number> {
  const lines = blocks("ts", text).join("\n").split("\n");
  const expected: string[][] = [];
  const code = lines.map((line, i) => {
    const shown: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s*\/\/ /.test(lines[j]!); j++) {
      shown.push(lines[j]!.replace(/^\s*\/\/ /, ""));
    }
    if (!line.includes("console.log(")) return line;
    // Output the README does not show is still produced, but kept off the test log.
    if (shown.length === 0) return line.replace("console.log(", "__log(-1, ");
    expected.push(shown);
    return line.replace("console.log(", `__log(${expected.length - 1}, `);
  });
  const printed: string[] = [];
  (globalThis as Record<string, unknown>).__log = (n: number, ...args: unknown[]) => {
    if (n >= 0) printed[n] = format(...args);
  };
  const dir = new URL("test/.readme/", root);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${doc.replace(/\W+/g, "-")}-blocks.ts`, dir);
  writeFileSync(
    file,
    `// Generated from ${doc} by test/readme.test.ts\ndeclare const __log: (n: number, ...a: unknown[]) => void;\n${code.join("\n")}\n`,
  );
  await import(file.href);
  expected.forEach((shown, n) => {
    const out = (printed[n] ?? "").split("\n");
    const cut = shown.findIndex((l) => l.includes("…"));
    const compare = cut < 0 ? shown : shown.slice(0, cut);
    expect(out.slice(0, compare.length)).toEqual(compare);
    if (cut < 0) expect(out.length).toBe(shown.length);
  });
  return expected.length;
}

it("every TypeScript block of the README runs and prints what it shows", async () => {
  expect(await runBlocks("README.md", readme)).toBeGreaterThanOrEqual(3);
});

it("every TypeScript block of docs/studies.md runs", async () => {
  await runBlocks("docs/studies.md", readFileSync(new URL("docs/studies.md", root), "utf8"));
});
