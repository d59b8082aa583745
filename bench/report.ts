// The benchmark's printed tables and the chart (a self-contained HTML page with uPlot inlined, and its PNG).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'puppeteer-core';

const int = (x: number | undefined) => (x === undefined ? '-' : Math.round(x).toLocaleString('en-US'));
export const fixed = (x: number | undefined, digits = 2) => (x === undefined ? '-' : x.toFixed(digits));

/** Prints rows as an aligned table: the first row is the header. */
export function printTable(title: string, rows: (string | number)[][]): void {
  const cells = rows.map((row) => row.map((c) => (typeof c === 'number' ? int(c) : c)));
  const widths = cells[0]?.map((_, j) => Math.max(...cells.map((row) => (row[j] ?? '').length))) ?? [];
  console.log(`\n${title}`);
  cells.forEach((row, i) => {
    console.log(`  ${row.map((c, j) => (j === 0 ? c.padEnd(widths[j] as number) : c.padStart(widths[j] as number))).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
}

/** Writes the chart page for `result`; with a browser, also its PNG screenshot. */
export async function writeChart(result: unknown, htmlFile: string, pngFile: string, browser?: Browser): Promise<void> {
  const require = createRequire(import.meta.url);
  const uplotDir = require.resolve('uplot/dist/uPlot.iife.min.js').replace(/uPlot\.iife\.min\.js$/, '');
  const html = readFileSync(new URL('chart.html', import.meta.url), 'utf8')
    .replace('/*UPLOT_CSS*/', () => readFileSync(`${uplotDir}uPlot.min.css`, 'utf8'))
    .replace('/*UPLOT_JS*/', () => readFileSync(`${uplotDir}uPlot.iife.min.js`, 'utf8'))
    .replace('"@DATA@"', () => JSON.stringify(result).replace(/</g, '\\u003c'));
  writeFileSync(htmlFile, html);
  if (!browser) return;
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 420 });
  await page.setContent(html);
  await page.waitForFunction(() => document.title === 'drawn', { timeout: 30_000 });
  await page.screenshot({ path: pngFile as `${string}.png`, fullPage: true });
  await page.close();
}
