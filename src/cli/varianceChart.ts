// The variance lab's chart: one horizontal bar per estimator, its total variance on a log scale (decades marked),
// whole-return estimators in one colour and reward-to-go ones in another, the value and the ratio to plain
// REINFORCE beside each bar. Hand-written SVG: no dependency, readable in any browser.

export interface ChartRow {
  baseline: string;
  rewardToGo: boolean;
  totalVariance: number;
  varianceRatio: number;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] as string);

export const estimatorLabel = (row: { baseline: string; rewardToGo: boolean }) =>
  `${row.baseline}, ${row.rewardToGo ? 'reward-to-go' : 'whole return'}`;

export function varianceChart(title: string, rows: ChartRow[]): string {
  const positive = rows.filter((r) => r.totalVariance > 0 && Number.isFinite(r.totalVariance));
  const logs = positive.map((r) => Math.log10(r.totalVariance));
  // A little room below the smallest bar, so that it shows.
  let low = logs.length === 0 ? 0 : Math.floor(Math.min(...logs) - 0.2);
  let high = logs.length === 0 ? 1 : Math.ceil(Math.max(...logs));
  if (high <= low) high = low + 1;
  if (high - low > 12) low = high - 12;
  const [labelWidth, plotWidth, valueWidth, row, top] = [300, 420, 150, 24, 56];
  const width = labelWidth + plotWidth + valueWidth;
  const height = top + rows.length * row + 36;
  const x = (v: number) => labelWidth + ((Math.log10(v) - low) / (high - low)) * plotWidth;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="12" y="42" fill="#555">total variance of one batch's gradient estimate (trace of its covariance), log scale; ` +
      `<tspan fill="#4472c4">whole return</tspan>, <tspan fill="#ed7d31">reward-to-go</tspan></text>`,
  ];
  for (let d = low; d <= high; d++) {
    const gx = labelWidth + ((d - low) / (high - low)) * plotWidth;
    parts.push(
      `<line x1="${gx.toFixed(1)}" y1="${top - 4}" x2="${gx.toFixed(1)}" y2="${top + rows.length * row}" stroke="#ddd"/>`,
      `<text x="${gx.toFixed(1)}" y="${top + rows.length * row + 18}" text-anchor="middle" fill="#555">1e${d}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * row;
    const ok = r.totalVariance > 0 && Number.isFinite(r.totalVariance);
    const end = ok ? Math.max(labelWidth + 1, Math.min(labelWidth + plotWidth, x(r.totalVariance))) : labelWidth;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeXml(estimatorLabel(r))}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${(end - labelWidth).toFixed(1)}" height="${row - 8}" fill="${r.rewardToGo ? '#ed7d31' : '#4472c4'}"/>`,
      `<text x="${(end + 6).toFixed(1)}" y="${y + 16}" fill="#333">${ok ? `${r.totalVariance.toPrecision(3)} (x${r.varianceRatio.toPrecision(3)})` : 'n/a'}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
