// Learning curves, drawn live with uPlot: return (mean, min, max), entropy and gradient norm per iteration.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { IterationStats } from '../src/index.js';

const series = (label: string, stroke: string, dash?: number[]): uPlot.Series => ({
  label,
  stroke,
  width: 1.5,
  ...(dash ? { dash } : {}),
});

export class Charts {
  private readonly columns: number[][] = [[], [], [], [], [], []]; // iter, mean, min, max, entropy, gradNorm
  private readonly plots: uPlot[];

  constructor(returnElement: HTMLElement, entropyElement: HTMLElement, gradElement: HTMLElement) {
    const make = (element: HTMLElement, lines: uPlot.Series[]) =>
      new uPlot(
        {
          width: Math.max(200, element.clientWidth),
          height: 150,
          legend: { show: lines.length > 1 },
          scales: { x: { time: false } },
          series: [{ label: 'iteration' }, ...lines],
        },
        [[], ...lines.map(() => [])],
        element,
      );
    this.plots = [
      make(returnElement, [series('mean', '#2a5bbf'), series('min', '#b3261e', [4, 3]), series('max', '#2e7d32', [4, 3])]),
      make(entropyElement, [series('entropy', '#7b1fa2')]),
      make(gradElement, [series('|grad|', '#ef6c00')]),
    ];
    new ResizeObserver(() => {
      for (const [plot, element] of [
        [this.plots[0], returnElement],
        [this.plots[1], entropyElement],
        [this.plots[2], gradElement],
      ] as const) {
        plot?.setSize({ width: Math.max(200, element.clientWidth), height: 150 });
      }
    }).observe(returnElement);
  }

  push(s: IterationStats): void {
    const values = [s.iter, s.meanReturn, s.minReturn, s.maxReturn, s.entropy, s.gradNorm];
    values.forEach((v, k) => {
      this.columns[k]?.push(v);
    });
    this.draw();
  }

  /** Points on the curve so far. */
  get points(): number {
    return this.columns[0]?.length ?? 0;
  }

  /** A copy of the curve's columns (iter, mean, min, max, entropy, gradNorm), up to iteration `upTo`. */
  snapshot(upTo = Number.POSITIVE_INFINITY): number[][] {
    const n = (this.columns[0] ?? []).filter((iter) => iter <= upTo).length;
    return this.columns.map((column) => column.slice(0, n));
  }

  /** Replaces the curve with `columns` (a snapshot()). */
  restore(columns: number[][]): void {
    this.columns.forEach((column, k) => {
      column.splice(0, column.length, ...(columns[k] ?? []));
    });
    this.draw();
  }

  private draw(): void {
    const [x, mean, min, max, entropy, grad] = this.columns as [number[], number[], number[], number[], number[], number[]];
    this.plots[0]?.setData([x, mean, min, max]);
    this.plots[1]?.setData([x, entropy]);
    this.plots[2]?.setData([x, grad]);
  }

  clear(): void {
    for (const column of this.columns) column.length = 0;
    this.plots[0]?.setData([[], [], [], []]);
    this.plots[1]?.setData([[], []]);
    this.plots[2]?.setData([[], []]);
  }
}
