/**
 * Draws the Earnings bars with uPlot. Loaded on demand by the chart
 * component, so the dashboard's first paint never waits for the library.
 * uPlot sets styles through the CSSOM only (no style attributes or inline
 * <style>), which the dashboard's CSP allows.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartInk {
  bar: string;
  axis: string;
  grid: string;
}

export interface EarningsPlot {
  resize(width: number): void;
  destroy(): void;
}

const HEIGHT_PX = 220;

export function drawEarningsChart(
  target: HTMLElement,
  data: { labels: readonly string[]; heights: readonly number[] },
  ink: ChartInk,
  width: number,
): EarningsPlot {
  const xs = data.labels.map((_, index) => index);
  // Label at most about 8 buckets so the axis stays readable; every bucket is in the table.
  const labelEvery = Math.max(1, Math.ceil(data.labels.length / 8));
  const plot = new uPlot(
    {
      width,
      height: HEIGHT_PX,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: [-0.5, Math.max(0, data.labels.length - 0.5)] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          stroke: ink.axis,
          grid: { show: false },
          ticks: { stroke: ink.grid },
          splits: () => xs.filter((index) => (data.labels.length - 1 - index) % labelEvery === 0),
          values: (_u, splits) => splits.map((index) => data.labels[index] ?? ''),
        },
        {
          stroke: ink.axis,
          grid: { stroke: ink.grid, width: 1 },
          ticks: { stroke: ink.grid },
          values: (_u, splits) => splits.map((value) => `${Number(value.toPrecision(3))}`),
          size: 56,
        },
      ],
      series: [
        {},
        {
          label: 'tHIVE',
          stroke: ink.bar,
          fill: ink.bar,
          width: 0,
          points: { show: false },
          paths: uPlot.paths.bars?.({ size: [0.7, 48], align: 0 }),
        },
      ],
    },
    [xs, [...data.heights]],
    target,
  );
  return {
    resize: (nextWidth) => plot.setSize({ width: nextWidth, height: HEIGHT_PX }),
    destroy: () => plot.destroy(),
  };
}
