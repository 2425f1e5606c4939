/**
 * The conditional structure of a space-first study's space, as TPE uses it: every searched
 * parameter (under SpaX's name, as `names.ts` names it), its distribution (what a trial will be
 * asked to suggest), and its *context* — the chain of branch decisions that makes it active.
 *
 * A context is the path of branch choices from the root: a config choice of a categorical
 * (`Training.optimizer` = `Adam`) or a conditional's branch (`Training.dropout` true/false).
 * Parameters with the same context are active together, in the same trials; the root context
 * (no branch) holds the parameters every trial has. Nested configs that are not choices add no
 * branch.
 * @module
 */
import type { CategoricalSpace } from "../space/categorical.js";
import type { ConfigSpace } from "../space/config.js";
import type { NumberSpace } from "../space/number.js";
import type { AnySpace } from "../space/space.js";
import { type JsonValue, nextDown, nextUp } from "../space/values.js";
import {
  CategoricalDistribution,
  type Distribution,
  FloatDistribution,
  IntDistribution,
} from "./distributions.js";

type AnyConfig = ConfigSpace<string, any, unknown>;

/** A searched parameter of the space. */
export interface StructureParam {
  readonly name: string;
  /** Its context's key: `""` for the root, else the branch path (`A.x=Adam|A.y?true`). */
  readonly context: string;
  /** The distribution a trial suggests it with. */
  readonly distribution: Distribution;
}

/** The parameters of a space grouped by context, in SpaX's sampling order. */
export class SpaceStructure {
  readonly params = new Map<string, StructureParam>();
  /** Context key → parameter names (that are not single-valued), in sampling order. */
  readonly groups = new Map<string, string[]>();

  constructor(readonly space: AnyConfig) {
    this.walkConfig(space, space.name, "");
  }

  private add(name: string, context: string, distribution: Distribution): void {
    this.params.set(name, { name, context, distribution });
    if (distribution.single()) return;
    let group = this.groups.get(context);
    if (!group) {
      group = [];
      this.groups.set(context, group);
    }
    group.push(name);
  }

  private walkConfig(config: AnyConfig, prefix: string, context: string): void {
    for (const i of config.order) {
      const f = config.fields[i]!;
      this.walkSpace(f.space, `${prefix}.${f.name}`, context);
    }
  }

  private walkSpace(space: AnySpace, name: string, context: string): void {
    switch (space.kind) {
      case "float":
      case "int":
        this.add(name, context, numberDistribution(space));
        return;
      case "categorical": {
        const single = space.single;
        if (!single) this.add(name, context, new CategoricalDistribution(labels(space)));
        for (const e of space.entries) {
          if (!e.config) continue;
          const inner = single ? context : `${context}|${name}=${e.config.name}`;
          this.walkConfig(e.config, `${name}::${e.config.name}`, inner);
        }
        return;
      }
      case "conditional":
        this.walkSpace(space.ifTrue, `${name}::true_branch`, `${context}|${name}?true`);
        this.walkSpace(space.ifFalse, `${name}::false_branch`, `${context}|${name}?false`);
        return;
      case "config":
        this.walkConfig(space, `${name}::${space.name}`, context);
        return;
      case "fixed":
        return;
    }
  }
}

/** What a categorical asks a trial to choose from: values, and config choices by name. */
function labels(space: CategoricalSpace): JsonValue[] {
  return space.entries.map((e) => (e.config ? e.config.name : (e.value as JsonValue)));
}

/** The distribution `sample/sampler.ts` suggests a number space with. */
function numberDistribution(space: NumberSpace): Distribution {
  let low = space.min;
  let high = space.max;
  if (space.kind === "float" && space.step === undefined) {
    if (!space.lowInclusive) low = nextUp(low);
    if (!space.highInclusive) high = nextDown(high);
  }
  const options: { log?: boolean; step?: number } = {};
  if (space.log) options.log = true;
  if (space.step !== undefined) options.step = space.step;
  return space.kind === "int"
    ? new IntDistribution(low, high, options)
    : new FloatDistribution(low, high, options);
}
