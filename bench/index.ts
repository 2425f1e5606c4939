/**
 * `npm run bench`: every benchmark, printed as tables with ratios to the reference numbers in
 * `../shared/reference/`. Benchmarks never assert; they report.
 */
import { runSpaceBench } from "./space.bench.js";

console.log(`spax benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
runSpaceBench();
await (await import("./tpe.bench.js")).runTpeBench();
