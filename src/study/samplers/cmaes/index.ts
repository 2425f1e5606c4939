/**
 * CMA-ES: the sampler and its numeric core.
 * @module
 */
export { Cma, type CmaState, defaultPopsize } from "./cma.js";
export { type SymmetricEigen, symmetricEigen } from "./linalg.js";
export { CmaEsSampler, type CmaEsSamplerOptions } from "./sampler.js";
