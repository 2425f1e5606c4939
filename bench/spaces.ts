/**
 * The three reference spaces of `../shared/reference/spaces-bench.md`, defined exactly as there
 * so spax's numbers compare with SpaX's (`spax-python-bench.json`).
 */
import * as sp from "../src/index.js";

export const notebook6 = sp.config("Notebook6", {
  learning_rate: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
  hidden_dim: sp.int({ gt: 16, lt: 4096 }),
  optimizer: sp.categorical([sp.choice("adam", { weight: 3 }), "sgd", "rmsprop"]),
  activation: sp.categorical(["relu", "gelu", "silu"]),
  use_batch_norm: sp.categorical([true, false]),
  model_name: "explicit_mlp",
});

const Inner = sp.config("Inner", {
  units: sp.int({ ge: 16, le: 512, log: true }),
  act: sp.categorical(["relu", "gelu"]),
});
const AdamCfg = sp.config("AdamCfg", {
  lr: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
  beta1: sp.float({ ge: 0.8, le: 0.999 }),
});
const SgdCfg = sp.config("SgdCfg", {
  lr: sp.float({ ge: 1e-4, le: 1, log: true }),
  momentum: sp.float({ ge: 0, le: 0.99 }),
});
export const nested = sp.config("Nested", {
  layers: sp.int({ ge: 1, le: 8 }),
  encoder: Inner,
  decoder: Inner,
  optimizer: sp.categorical([AdamCfg, SgdCfg]),
  use_dropout: sp.categorical([true, false]),
  dropout: sp.conditional(sp.field("use_dropout").eq(true), {
    true: sp.float({ ge: 0.05, le: 0.5 }),
    false: 0,
  }),
});

const wideFields: Record<string, sp.AnySpace> = {};
for (let i = 0; i < 100; i++) {
  const g = `g${String(i).padStart(3, "0")}`;
  wideFields[`${g}_on`] = sp.categorical([true, false]);
  wideFields[`${g}_lr`] = sp.conditional(sp.field(`${g}_on`).eq(true), {
    true: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
    false: 0,
  });
  wideFields[`${g}_n`] = sp.int({ ge: 1, le: 64 });
}
export const wide300 = new sp.ConfigSpace("Wide300", wideFields);

export const spaces = { notebook6, nested, wide300 } as const;
