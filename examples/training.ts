/**
 * The README's example space: architecture and training choices with a conditional, a nested
 * config and a choice among configs.
 */
import * as sp from "spax";

export const Adam = sp.config("Adam", {
  lr: sp.float({ ge: 1e-5, le: 1e-1, log: true }),
  beta1: sp.float({ ge: 0.8, le: 0.999 }),
});
export const Sgd = sp.config("Sgd", {
  lr: sp.float({ ge: 1e-4, le: 1, log: true }),
  momentum: sp.float({ ge: 0, le: 0.99 }),
});

export const Training = sp.config("Training", {
  layers: sp.int({ ge: 1, le: 8 }),
  units: sp.int({ ge: 16, le: 512, log: true }),
  activation: sp.categorical([sp.choice("relu", { weight: 2 }), "gelu", "silu"]),
  useDropout: sp.boolean(),
  dropoutRate: sp.conditional(sp.field("useDropout").eq(true), {
    true: sp.float({ ge: 0.1, le: 0.5 }),
    false: 0,
  }),
  optimizer: sp.categorical([Adam, Sgd]),
  batchSize: sp.int({ ge: 16, le: 256, step: 16 }),
  epochs: 20,
});

export type Training = sp.Infer<typeof Training>;
