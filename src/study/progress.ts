/**
 * A one-line progress bar on stderr while a study optimizes: trials done, best value, elapsed
 * time and ETA. Only on a TTY and outside CI, so logs and pipes stay clean.
 * @module
 */
import type { StudyDirection } from "./frozen-trial.js";
import type { OptimizeSummary } from "./optimize.js";
import type { Study } from "./study.js";

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

/** Whether to draw: explicitly asked, or stderr is a terminal and not in CI. */
function wanted(option: boolean | undefined): boolean {
  if (option !== undefined) return option;
  if (typeof process === "undefined" || !process.stderr?.isTTY) return false;
  return !process.env.CI;
}

/** Draws and redraws the bar (at most ten times a second). */
export class ProgressBar {
  private last = 0;
  private readonly started = Date.now();

  private constructor(
    private readonly total: number | undefined,
    private readonly direction: StudyDirection | undefined,
  ) {}

  /** A bar when one should be drawn, else `undefined`. */
  static create(
    option: boolean | undefined,
    total: number | undefined,
    direction: StudyDirection | undefined,
  ): ProgressBar | undefined {
    return wanted(option) ? new ProgressBar(total, direction) : undefined;
  }

  /** The bar's text for the current state. */
  line(study: Study<any>, s: OptimizeSummary): string {
    const done = s.complete + s.pruned + s.failed;
    const elapsed = Date.now() - this.started;
    const width = 24;
    let bar = "";
    let eta = "";
    if (this.total !== undefined) {
      const filled = Math.min(width, Math.round((done / this.total) * width));
      bar = `[${"=".repeat(filled)}${" ".repeat(width - filled)}] `;
      if (done > 0 && done < this.total)
        eta = ` ETA ${clock((elapsed / done) * (this.total - done))}`;
    }
    let best = "";
    if (this.direction !== undefined) {
      try {
        best = ` best ${study.bestValue.toPrecision(6)}`;
      } catch {
        best = "";
      }
    }
    const counts = `${done}${this.total !== undefined ? `/${this.total}` : ""} trials (${s.complete} ok, ${s.pruned} pruned, ${s.failed} failed)`;
    return `${bar}${counts}${best} ${clock(elapsed)}${eta}`;
  }

  update(study: Study<any>, s: OptimizeSummary): void {
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    process.stderr.write(`\r\u001b[2K${this.line(study, s)}`);
  }

  close(study: Study<any>, s: OptimizeSummary): void {
    process.stderr.write(`\r\u001b[2K${this.line(study, s)}\n`);
  }
}
