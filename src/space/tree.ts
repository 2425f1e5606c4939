/**
 * The drawing of a space (SPEC §5, from the SpaX announcement):
 *
 * ```
 * Training
 * ├─ learning_rate: Float([1e-5, 0.1], log)
 * ├─ optimizer: Categorical
 * │  ├─ 'adam' (weight: 3)
 * │  └─ 'sgd'
 * └─ accumulation_steps: Conditional (if batch_size <= 32)
 *    ├─ true: Int([2, 8], uniform)
 *    └─ false: 1
 * ```
 * Fields in declaration order; an unweighted categorical of values fits on one line.
 * @module
 */
import type { CategoricalSpace } from "./categorical.js";
import type { ConfigSpace } from "./config.js";
import type { NumberSpace } from "./number.js";
import { type AnySpace, unreachable } from "./space.js";
import { formatJson, formatNumber } from "./values.js";

interface Node {
  text: string;
  children: Node[];
}

/** Draws `config` as a tree. */
export function renderTree(config: ConfigSpace<string, any, unknown>): string {
  const lines = [config.name];
  drawChildren(configChildren(config), "", lines);
  return lines.join("\n");
}

function drawChildren(children: Node[], indent: string, lines: string[]): void {
  children.forEach((child, i) => {
    const last = i === children.length - 1;
    lines.push(`${indent}${last ? "└─ " : "├─ "}${child.text}`);
    drawChildren(child.children, `${indent}${last ? "   " : "│  "}`, lines);
  });
}

function configChildren(config: ConfigSpace<string, any, unknown>): Node[] {
  return config.fields.map((f) => {
    const node = spaceNode(f.space);
    return { text: `${f.name}: ${node.text}`, children: node.children };
  });
}

function numberText(space: NumberSpace): string {
  const kind = space.kind === "int" ? "Int" : "Float";
  const step = space.step !== undefined ? `, step=${formatNumber(space.step)}` : "";
  return `${kind}(${space.rangeText()}, ${space.log ? "log" : "uniform"}${step})`;
}

function weightText(w: number): string {
  return w === 1 ? "" : ` (weight: ${formatNumber(w)})`;
}

function categoricalNode(space: CategoricalSpace): Node {
  if (space.single) {
    const only = space.entries[0]!;
    return only.config ? spaceNode(only.config) : { text: formatJson(only.value), children: [] };
  }
  if (space.uniform && !space.hasConfigs) {
    return {
      text: `Categorical[${space.entries.map((e) => formatJson(e.value)).join(", ")}]`,
      children: [],
    };
  }
  const weighted = !space.uniform;
  return {
    text: "Categorical",
    children: space.entries.map((e) => {
      const w = weighted ? weightText(e.weight) : "";
      if (e.config) return { text: `${e.config.name}${w}`, children: configChildren(e.config) };
      return { text: `${formatJson(e.value)}${w}`, children: [] };
    }),
  };
}

function spaceNode(space: AnySpace): Node {
  switch (space.kind) {
    case "float":
    case "int":
      return { text: numberText(space), children: [] };
    case "categorical":
      return categoricalNode(space);
    case "conditional": {
      const t = spaceNode(space.ifTrue);
      const f = spaceNode(space.ifFalse);
      return {
        text: `Conditional (if ${space.condition.render()})`,
        children: [
          { text: `true: ${t.text}`, children: t.children },
          { text: `false: ${f.text}`, children: f.children },
        ],
      };
    }
    case "config":
      return { text: space.name, children: configChildren(space) };
    case "fixed":
      return { text: formatJson(space.value), children: [] };
    default:
      return unreachable(space);
  }
}
