// Trends (GET /api/kpis/series): one small chart per chosen measure, with its target and England's figure.

import { $, el, table } from '../dom.js';
import { fmt, nfInt, nf2, parseDate, iso, addMonths, fyOf, quarterStart, fmtShort } from '../format.js';
import { getJson, withQuery } from '../api.js';
import { groups as catalogueGroups } from '../catalogue.js';
import { OKABE_ITO, INK, MUTED, GRID, AXIS, baseOption, render, tooltipHtml, disposeChart } from '../charts.js';
import { setStatus, showFailure } from '../status.js';
import { state } from '../state.js';

function trendRange(by) {
  const to = parseDate(state.window.to);
  const from = by === 'year' ? addMonths(new Date(Date.UTC(fyOf(to), 3, 1)), -24)
    : by === 'month' ? addMonths(new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1)), -35)
      : addMonths(quarterStart(to), -33);
  return { from: iso(from), to: state.window.to };
}

/** The measure checkboxes; later calls only rename them (so that focus and ticks stay where they are). */
export function renderMeasureOptions() {
  const box = $('measure-options');
  const keys = [...new Set([...catalogueGroups().flatMap(g => (g.kpis ?? []).map(k => k.key)), ...(state.comparison?.kpis ?? []).map(k => k.key)])];
  if (keys.every(key => $(`measure-${key}`))) {
    for (const key of keys) $(`measure-${key}`).nextElementSibling.textContent = state.titles.get(key) ?? key;
    return;
  }
  box.replaceChildren(...keys.map(key => {
    const id = `measure-${key}`;
    return el('label', { class: 'check', for: id },
      el('input', { type: 'checkbox', id, name: 'measure', value: key, checked: state.selected.has(key) }),
      el('span', { text: state.titles.get(key) ?? key }));
  }));
  updateMeasureCount();
}

function updateMeasureCount() {
  const n = state.selected.size;
  $('measure-count').textContent = `${n} chosen`;
}

export function initTrends() {
  renderMeasureOptions();
  $('measure-options').addEventListener('change', event => {
    if (event.target.name !== 'measure') return;
    if (event.target.checked) state.selected.add(event.target.value);
    else state.selected.delete(event.target.value);
    updateMeasureCount();
  });
  $('trends-form').addEventListener('submit', event => {
    event.preventDefault();
    if (state.selected.size === 0) {
      setStatus('trends', 'trends-status', 'empty', 'Choose at least one measure to chart.');
      return;
    }
    loadTrends(state.generation);
  });
  $('trend-by').addEventListener('change', () => loadTrends(state.generation));
}

export async function loadTrends(generation) {
  if (!state.window) return;
  const by = $('trend-by').value;
  const keys = [...state.selected];
  const range = trendRange(by);
  const params = { keys: keys.join(','), ...range, by };
  $('series-csv-link').dataset.href = withQuery('api/kpis/series', { ...params, format: 'csv' });
  $('series-csv-link').dataset.filename = `kpi-trends-${range.from}-to-${range.to}.csv`;
  $('trends-meta').textContent = `${fmtShort(range.from)} to ${fmtShort(range.to)}, by ${by === 'year' ? 'financial year' : by}. The latest period is the one ending with the window.`;
  if (keys.length === 0) {
    setStatus('trends', 'trends-status', 'empty', 'Choose at least one measure to chart.');
    return;
  }
  setStatus('trends', 'trends-status', 'loading', 'Loading the trends…');
  const token = ++loadTrends.token;
  try {
    const data = await getJson('api/kpis/series', params);
    if (generation !== state.generation || token !== loadTrends.token) return;
    state.series = data;
    renderTrends(data);
    setStatus('trends', 'trends-status', 'ready', '');
  } catch (error) {
    if (generation !== state.generation || token !== loadTrends.token) return;
    state.series = null;
    for (const c of $('trend-charts').querySelectorAll('.chart')) disposeChart(c);
    $('trend-charts').replaceChildren();
    showFailure('trends', 'trends-status', error, { title: 'The trends could not be loaded.', needs: 'The trends need' });
  }
}
loadTrends.token = 0;

export function renderTrends(data) {
  const grid = $('trend-charts');
  for (const c of grid.querySelectorAll('.chart')) disposeChart(c);
  const cards = (data.series ?? []).map(s => trendCard(s, data.by));
  grid.replaceChildren(...cards.map(c => c.card));
  for (const c of cards) c.draw();
}

function trendCard(series, by) {
  const kind = series.kind ?? state.kinds.get(series.key) ?? 'count';
  const title = series.title ?? state.titles.get(series.key) ?? series.key;
  const points = series.points ?? [];
  const comparison = state.comparison?.kpis?.find(k => k.key === series.key);
  const id = `trend-${series.key}`;
  const chartBox = el('div', { class: 'chart chart--trend', id: `${id}-chart`, role: 'img', 'aria-label': `${title}: chart` });
  const valued = points.filter(p => p.value != null);

  const card = el('article', { class: 'trend-card', 'aria-labelledby': `${id}-title`, 'data-kpi': series.key },
    el('h3', { class: 'trend-card__title', id: `${id}-title`, text: title }),
    el('p', { class: 'trend-card__meta', text: trendMeta(comparison, kind) }),
    valued.length ? chartBox : el('p', { class: 'status status--empty', text: 'No values in this range (for a rate, a population must be set).' }),
    el('details', { class: 'data-table' },
      el('summary', {}, 'Show data table', el('span', { class: 'visually-hidden', text: ` for ${title}` })),
      table(`${title} by ${by ?? 'period'}`, ['Period', 'From', 'To', 'Value', 'Numerator', 'Denominator'],
        points.map(p => [p.label ?? `${p.from} to ${p.to}`, p.from, p.to, fmt(p.value, kind), p.numerator == null ? '—' : nfInt.format(p.numerator),
          p.denominator == null ? '—' : nfInt.format(p.denominator)]), [3, 4, 5])));

  const draw = () => {
    if (!valued.length) return;
    const colour = OKABE_ITO.blue;
    const marks = [];
    if (comparison?.target?.target != null) {
      marks.push({ yAxis: comparison.target.target, name: 'Target', lineStyle: { color: OKABE_ITO.vermillion, type: 'dashed', width: 1.5 },
        label: { formatter: `Target ${fmt(comparison.target.target, kind)}`, color: INK, position: 'insideEndTop', fontSize: 11 } });
    }
    if (kind === 'percentage' && comparison?.published?.england != null) {
      marks.push({ yAxis: comparison.published.england, name: 'England', lineStyle: { color: OKABE_ITO.black, type: 'dotted', width: 1.5 },
        label: { formatter: `England ${fmt(comparison.published.england, kind)}`, color: INK, position: 'insideStartTop', fontSize: 11 } });
    }
    const labelStep = Math.max(1, Math.ceil(points.length / 4));
    const first = valued[0], last = valued[valued.length - 1];
    const max = valued.reduce((a, b) => (b.value > a.value ? b : a));
    const min = valued.reduce((a, b) => (b.value < a.value ? b : a));
    const summary = `${title}, ${points.length} periods from ${points[0].label ?? points[0].from} to ${points.at(-1).label ?? points.at(-1).to}: `
      + `${fmt(first.value, kind)} in ${first.label} and ${fmt(last.value, kind)} in ${last.label}; highest ${fmt(max.value, kind)} (${max.label}), lowest ${fmt(min.value, kind)} (${min.label}).`
      + marks.map(m => ` ${m.name} ${fmt(m.yAxis, kind)}.`).join('');
    render(chartBox, {
      grid: { left: 8, right: 16, top: 22, bottom: 4, containLabel: true },
      tooltip: {
        ...baseOption().tooltip, trigger: 'axis',
        formatter: items => {
          const p = points[items[0].dataIndex];
          const rows = [[title, fmt(p.value, kind)]];
          if (p.numerator != null && p.denominator != null) rows.push(['Counted', `${nfInt.format(p.numerator)} of ${nfInt.format(p.denominator)}`]);
          return tooltipHtml(p.label ?? `${p.from} to ${p.to}`, rows, `${fmtShort(p.from)} to ${fmtShort(p.to)}`);
        },
      },
      xAxis: {
        type: 'category', data: points.map(p => p.label ?? p.from), boundaryGap: false,
        axisLine: { lineStyle: { color: AXIS } }, axisTick: { show: false },
        // Every nth label, counted back from the last so that the window's own period is always named.
        axisLabel: { color: MUTED, fontSize: 11, interval: i => (points.length - 1 - i) % labelStep === 0, showMaxLabel: true, alignMaxLabel: 'right' },
      },
      yAxis: {
        // Counts from zero; percentages and rates fit their data, widened to show the target and England lines.
        type: 'value', scale: kind !== 'count', minInterval: kind === 'count' ? 1 : undefined,
        min: kind === 'count' ? 0 : v => niceRange(v, marks).min,
        max: kind === 'count' ? undefined : v => niceRange(v, marks).max,
        splitLine: { lineStyle: { color: GRID } },
        axisLabel: { color: MUTED, fontSize: 11, formatter: v => (kind === 'percentage' ? `${nf2.format(v)}%` : nf2.format(v)) },
      },
      series: [{
        type: 'line', name: title, data: points.map(p => p.value), connectNulls: false,
        symbol: 'circle', symbolSize: 6, lineStyle: { width: 2.5, color: colour }, itemStyle: { color: colour },
        areaStyle: { color: colour, opacity: 0.07 },
        markLine: marks.length ? { symbol: 'none', silent: true, data: marks } : undefined,
        markPoint: {
          symbol: 'circle', symbolSize: 11, silent: true,
          itemStyle: { color: '#fff', borderColor: colour, borderWidth: 3 },
          label: { show: false },
          data: [{ coord: [points.length - 1, points.at(-1).value] }].filter(d => d.coord[1] != null),
        },
      }],
    }, summary);
  };
  return { card, draw };
}

/** An axis range holding the data and the reference lines, on round steps (1, 2, 2.5 or 5 × 10ⁿ), never below 0. */
function niceRange(v, marks) {
  const lo = Math.min(v.min, ...marks.map(m => m.yAxis)), hi = Math.max(v.max, ...marks.map(m => m.yAxis));
  const raw = Math.max((hi - lo) / 5, 1e-6);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map(f => f * power).find(s => s >= raw);
  return { min: Math.max(0, Math.floor(lo / step) * step), max: Math.ceil(hi / step) * step };
}

function trendMeta(comparison, kind) {
  if (!comparison) return kind === 'percentage' ? 'Percentage' : kind === 'rate' ? 'Per 10,000 children' : 'Count';
  const parts = [kind === 'percentage' ? 'Percentage' : kind === 'rate' ? 'Per 10,000 children, not annualised' : 'Count'];
  parts.push('ringed: this window');
  if (comparison.target) parts.push('dashed line: target');
  if (kind === 'percentage' && comparison.published?.england != null) parts.push('dotted line: England');
  return parts.join(' · ');
}

