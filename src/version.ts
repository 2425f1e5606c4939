/** spax's version (kept equal to package.json's by a test); written into storages it creates. */
export const SPAX_VERSION = "0.1.0";
