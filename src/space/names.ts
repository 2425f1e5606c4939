/**
 * SpaX's parameter names: root = config name; field `P.field`; into a nested config
 * `P::Name.field`; conditional branches `P::true_branch` / `P::false_branch`; a categorical is
 * the parameter `P` and its config choices add `P::Choice.field`; fixed values add nothing.
 * Two different distributions never share a name.
 * @module
 */
import type { ConfigSpace } from "./config.js";
import { type AnySpace, unreachable } from "./space.js";

/** Names of the searched parameters of `config`, in SpaX's order. */
export function parameterNames(config: ConfigSpace<string, any, unknown>): string[] {
  const out: string[] = [];
  configNames(config, config.name, out);
  return out;
}

function configNames(
  config: ConfigSpace<string, any, unknown>,
  prefix: string,
  out: string[],
): void {
  for (const i of config.order) {
    const f = config.fields[i]!;
    spaceNames(f.space, `${prefix}.${f.name}`, out);
  }
}

function spaceNames(space: AnySpace, name: string, out: string[]): void {
  switch (space.kind) {
    case "float":
    case "int":
      out.push(name);
      return;
    case "categorical":
      // A one-choice categorical acts as a fixed value: no parameter of its own (SpaX).
      if (!space.single) out.push(name);
      for (const e of space.entries)
        if (e.config) configNames(e.config, `${name}::${e.config.name}`, out);
      return;
    case "conditional":
      spaceNames(space.ifTrue, `${name}::true_branch`, out);
      spaceNames(space.ifFalse, `${name}::false_branch`, out);
      return;
    case "config":
      configNames(space, `${name}::${space.name}`, out);
      return;
    case "fixed":
      return;
    default:
      unreachable(space);
  }
}
