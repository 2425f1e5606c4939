/**
 * `npm start`: a tour of a spax space — its tree, seeded samples, a narrowing override file,
 * validation with clear errors, and files that round-trip.
 */
import * as sp from "spax";
import { Training } from "./training.js";

console.log(Training.tree());
console.log("\nsearched parameters:", Training.parameterNames().length);

const cfg = Training.random({ seed: 42 });
console.log("\nTraining.random({ seed: 42 }):", cfg);

const override = sp.loadOverride(new URL("./next.yaml", import.meta.url).pathname);
const Next = Training.narrow(override);
console.log(`\nnarrowed by examples/next.yaml:\n${Next.tree()}`);
console.log("\nsample of the narrowed space:", Next.random({ seed: 42 }));

const result = Training.safeParse({ ...cfg, layers: 12, dropoutRate: 0.3, useDropout: false });
if (!result.success) console.log(`\n${result.error.message}`);

console.log(`\nas YAML:\n${Training.dump(cfg, "yaml")}`);
