// KPI tiles (GET /api/kpis/comparison), under the catalogue's stages of the pathway.

import { $, el } from '../dom.js';
import { fmt, unitOf, nfInt, nf1, fmtShort, describeWindow } from '../format.js';
import { getJson } from '../api.js';
import { groups as catalogueGroups } from '../catalogue.js';
import { setStatus, showFailure } from '../status.js';
import { state } from '../state.js';
import { renderMeasureOptions, renderTrends } from './trends.js';

const RAG = {
  green: { label: 'Meets target', cls: 'green' },
  amber: { label: 'Within tolerance', cls: 'amber' },
  red: { label: 'Misses target', cls: 'red' },
  none: { label: 'No target set', cls: 'none' },
};


export async function loadComparison(win, generation) {
  const name = describeWindow(win);
  setStatus('overview', 'kpi-status', 'loading', `Loading the indicators for ${name}…`);
  $('kpi-groups').setAttribute('aria-busy', 'true');
  try {
    const data = await getJson('api/kpis/comparison', win);
    if (generation !== state.generation) return;
    state.comparison = data;
    for (const k of data.kpis ?? []) {
      if (k.title) state.titles.set(k.key, k.title);
      if (k.kind) state.kinds.set(k.key, k.kind);
    }
    renderTiles(data);
    renderMeasureOptions();
    if (state.series) renderTrends(state.series); // targets and England lines come from the comparison
    setStatus('overview', 'kpi-status', 'ready', `Figures for ${name} are shown.`);
  } catch (error) {
    if (generation !== state.generation) return;
    state.comparison = null;
    $('kpi-groups').replaceChildren();
    $('overview-meta').textContent = '';
    showFailure('overview', 'kpi-status', error, { title: 'The indicators could not be loaded.', needs: 'The indicators need' });
  } finally {
    $('kpi-groups').removeAttribute('aria-busy');
  }
}

function renderTiles(data) {
  const meta = [];
  if (data.authority?.name) {
    $('authority-name').textContent = `${data.authority.name} safeguarding children partnership`;
  }
  if (data.previousWindow) meta.push(`Last year: ${fmtShort(data.previousWindow.from)} to ${fmtShort(data.previousWindow.to)}`);
  if (data.benchmarkYear) meta.push(`DfE benchmarks: year to March ${data.benchmarkYear}`);
  else meta.push('No DfE benchmarks published for this year');
  meta.push(data.population != null
    ? `Population 0–17: ${nfInt.format(data.population)}${data.populationYear ? ` (mid-${data.populationYear})` : ''}`
    : 'No population set: rates per 10,000 are not available');
  $('overview-meta').textContent = meta.join(' · ');

  const kpis = data.kpis ?? [];
  if (kpis.length === 0) {
    $('kpi-groups').replaceChildren(el('p', { class: 'status status--empty', text: 'The service returned no indicators for this window.' }));
    return;
  }
  const byKey = new Map(kpis.map(k => [k.key, k]));
  const groups = catalogueGroups().map(g => ({ id: g.id, title: g.heading, items: (g.kpis ?? []).map(k => byKey.get(k.key)).filter(Boolean) }));
  const placed = new Set(groups.flatMap(g => g.items.map(k => k.key)));
  const other = kpis.filter(k => !placed.has(k.key));
  if (other.length) groups.push({ id: 'other', title: groups.length ? 'Other measures' : 'Measures', items: other });

  // Volumes (counts with nothing published and no target) are small tiles; measures with comparisons are full tiles.
  const isVolume = k => (k.kind ?? state.kinds.get(k.key)) === 'count' && !k.target;
  $('kpi-groups').replaceChildren(...groups.filter(g => g.items.length).map(g => {
    const volumes = g.items.filter(isVolume), measures = g.items.filter(k => !isVolume(k));
    return el('section', { class: 'kpi-group', 'aria-labelledby': `group-${g.id}` },
      el('h3', { class: 'kpi-group__title', id: `group-${g.id}`, text: g.title }),
      el('div', { class: `kpi-group__body${volumes.length && measures.length ? ' kpi-group__body--split' : ''}` },
        volumes.length ? el('ul', { class: 'tiles tiles--compact', role: 'list', 'aria-label': `${g.title}: volumes` }, volumes.map(k => compactTile(k))) : null,
        measures.length ? el('ul', { class: 'tiles', role: 'list', 'aria-label': `${g.title}: measures` }, measures.map(k => tile(k, data))) : null));
  }));
}

function ragBadge(k, { hideNone = false } = {}) {
  const status = RAG[k.rag?.status] ? k.rag.status : 'none';
  const rag = RAG[status];
  return el('p', { class: `rag rag--${rag.cls}${hideNone && status === 'none' ? ' visually-hidden' : ''}` },
    el('span', { class: 'rag__icon', 'aria-hidden': 'true' }), rag.label);
}

/** A count: its number, the change on last year and the sentence. */
function compactTile(k) {
  const titleId = `tile-${k.key}`;
  const change = changeText(k.value, k.previousYear?.value, 'count');
  return el('li', { class: 'tile tile--compact', 'aria-labelledby': titleId, 'data-kpi': k.key },
    el('h4', { class: 'tile__title', id: titleId, text: k.title ?? state.titles.get(k.key) ?? k.key }),
    el('p', { class: 'tile__value' },
      el('span', { class: 'tile__number' }, fmt(k.value, 'count'),
        k.value == null ? el('span', { class: 'visually-hidden', text: ' (no value)' }) : null),
      change ? el('span', { class: 'tile__change' }, change) : null),
    ragBadge(k, { hideNone: true }),
    k.sentence ? el('p', { class: 'tile__sentence', text: k.sentence }) : null);
}

function tile(k, data) {
  const kind = k.kind ?? state.kinds.get(k.key) ?? 'count';
  const rag = RAG[RAG[k.rag?.status] ? k.rag.status : 'none'];
  const titleId = `tile-${k.key}`;

  const compare = el('dl', { class: 'tile__compare' });
  const row = (label, value, extra) => compare.append(el('dt', { text: label }), el('dd', {}, value, extra ?? ''));

  if (k.previousYear?.value != null) row('Same period last year', fmt(k.previousYear.value, kind));
  // A count is never set beside England's total; percentages and rates are.
  const p = kind === 'count' ? null : k.published;
  if (p) {
    if (p.england != null) row('England', fmt(p.england, kind));
    // The neighbours' mean: the DfE's "SN average" that the seed quotes and the sentences use.
    const neighbours = p.neighbours?.mean ?? p.neighbours?.median;
    if (neighbours != null) {
      row(p.neighbours?.mean != null ? 'Statistical neighbours (average)' : 'Statistical neighbours (median)', fmt(neighbours, kind));
    }
    if (p.region != null && data.authority?.region) row(data.authority.region, fmt(p.region, kind));
  }
  if (k.target) {
    const t = k.target;
    const sign = t.direction === 'lower' ? '≤' : '≥';
    row('Target', `${sign} ${fmt(t.target, kind)}`);
    if (t.limit != null) row('Tolerance to', fmt(t.limit, kind));
  }
  const annualNote = p?.annual && compare.childElementCount
    ? el('p', { class: 'tile__note', text: 'Published figures are for a whole year.' }) : null;

  const change = changeText(k.value, k.previousYear?.value, kind);
  const basisText = basis(k, kind);
  return el('li', { class: `tile tile--${rag.cls}`, 'aria-labelledby': titleId, 'data-kpi': k.key },
    el('h4', { class: 'tile__title', id: titleId, text: k.title ?? state.titles.get(k.key) ?? k.key }),
    el('p', { class: 'tile__value' },
      el('span', { class: 'tile__number' }, fmt(k.value, kind),
        k.value == null ? el('span', { class: 'visually-hidden', text: ' (no value)' }) : null),
      kind === 'rate' && k.value != null ? el('span', { class: 'tile__unit', text: unitOf(kind, k.unit) }) : null),
    ragBadge(k),
    change || basisText ? el('p', { class: 'tile__basis' },
      change ? el('span', { class: 'tile__change' }, change) : null,
      change && basisText ? ' · ' : null, basisText) : null,
    compare.childElementCount ? compare : null,
    annualNote,
    k.rag?.reason && rag.cls !== 'none' ? el('p', { class: 'tile__reason', text: k.rag.reason }) : null,
    k.sentence ? el('p', { class: 'tile__sentence', text: k.sentence }) : null);
}

function basis(k, kind) {
  if (kind === 'percentage' && k.denominator != null) return `${nfInt.format(k.numerator ?? 0)} of ${nfInt.format(k.denominator)}`;
  if (kind === 'rate') {
    if (k.denominator == null) return k.numerator != null ? `${nfInt.format(k.numerator)} counted; no population set` : 'No population set';
    return `${nfInt.format(k.numerator ?? 0)} in ${nfInt.format(k.denominator)} children`;
  }
  if (kind === 'percentage' && k.value == null) return 'None to count in this window';
  return null;
}

/** "▲ up 6.7 points on last year": the arrow is decoration (hidden from screen readers), the words say it. */
function changeText(value, previous, kind) {
  if (value == null || previous == null) return null;
  const diff = value - previous;
  if (Math.abs(diff) < 1e-9) return document.createTextNode('no change on last year');
  const amount = kind === 'count' ? nfInt.format(Math.abs(diff)) : nf1.format(Math.abs(diff));
  const points = kind === 'percentage' ? ' points' : '';
  const out = document.createDocumentFragment();
  out.append(el('span', { 'aria-hidden': 'true', text: diff > 0 ? '▲ ' : '▼ ' }), `${diff > 0 ? 'up' : 'down'} ${amount}${points} on last year`);
  return out;
}

