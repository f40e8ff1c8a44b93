// The chart library (vendored ECharts, loaded before the modules) and what every chart shares.

import { escapeHtml } from './dom.js';

export const echarts = window.echarts;

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. Ordered for use on white. */
export const OKABE_ITO = {
  blue: '#0072B2', vermillion: '#D55E00', green: '#009E73', purple: '#CC79A7',
  orange: '#E69F00', sky: '#56B4E9', black: '#000000', yellow: '#F0E442',
};
export const PALETTE = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.orange, OKABE_ITO.sky, OKABE_ITO.black];
export const INK = '#161b21';
export const MUTED = '#47525e';
export const GRID = '#e3e8ec';
export const AXIS = '#8a96a2';
export const FONT = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';

export const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
export const charts = new Map();

export function chartFor(container) {
  let chart = charts.get(container);
  if (!chart) {
    chart = echarts.init(container, null, { renderer: 'canvas' });
    charts.set(container, chart);
    new ResizeObserver(() => chart.resize()).observe(container);
  }
  return chart;
}

export function disposeChart(container) {
  const chart = charts.get(container);
  if (chart) { chart.dispose(); charts.delete(container); }
}

/** Options every chart shares: the palette, the page's font, no animation when motion is reduced. */
export function baseOption() {
  return {
    color: PALETTE,
    animation: !reducedMotion.matches,
    animationDuration: 400,
    aria: { enabled: false }, // the container carries role="img" and our own summary
    textStyle: { fontFamily: FONT, color: INK },
    tooltip: {
      confine: true, backgroundColor: '#ffffff', borderColor: AXIS, borderWidth: 1, padding: [6, 10],
      textStyle: { color: INK, fontFamily: FONT, fontSize: 13 },
    },
  };
}

export function render(container, option, summary) {
  if (!echarts) { container.hidden = true; return null; }
  container.hidden = false;
  container.setAttribute('aria-label', summary);
  const chart = chartFor(container);
  chart.setOption({ ...baseOption(), ...option }, { notMerge: true });
  return chart;
}

export function tooltipHtml(title, rows = [], note) {
  return `<div class="tt"><div class="tt__title">${escapeHtml(title)}</div>${rows.map(([k, v]) =>
    `<div class="tt__row"><span>${escapeHtml(k)}</span><strong>${escapeHtml(v)}</strong></div>`).join('')}${note ? `<div class="tt__note">${escapeHtml(note)}</div>` : ''}</div>`;
}


/** Every chart on the page, disposed (the session ended). */
export function disposeAllCharts() {
  for (const container of [...charts.keys()]) disposeChart(container);
}
