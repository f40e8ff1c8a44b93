// The pathway as a Sankey diagram (GET /api/pathway), with its numbers in tables.

import { $, table } from '../dom.js';
import { fmt, describeWindow } from '../format.js';
import { getJson } from '../api.js';
import { OKABE_ITO, INK, FONT, baseOption, render, tooltipHtml, disposeChart } from '../charts.js';
import { setStatus, showFailure } from '../status.js';
import { state } from '../state.js';

const STAGE_COLOURS = [
  [/^contact/, OKABE_ITO.blue],
  [/no-?further|nfa|information|advice|pending|no-decision|none/, '#7f8c99'],
  [/early|engage/, OKABE_ITO.green],
  [/consent/, OKABE_ITO.orange],
  [/assess/, OKABE_ITO.sky],
  [/s47|section-?47|strategy/, OKABE_ITO.purple],
  [/icpc|conference|plan/, OKABE_ITO.vermillion],
  [/looked|lac|care/, OKABE_ITO.black],
  [/re-?referr/, OKABE_ITO.yellow],
];
const stageColour = id => (STAGE_COLOURS.find(([re]) => re.test(id)) ?? [null, OKABE_ITO.blue])[1];

export async function loadPathway(win, generation) {
  setStatus('pathway', 'pathway-status', 'loading', 'Loading the pathway…');
  try {
    const data = await getJson('api/pathway', win);
    if (generation !== state.generation) return;
    renderPathway(data, win);
  } catch (error) {
    if (generation !== state.generation) return;
    disposeChart($('pathway-chart'));
    $('pathway-chart').hidden = true;
    $('pathway-table').replaceChildren();
    $('pathway-note').textContent = '';
    showFailure('pathway', 'pathway-status', error, { title: 'The pathway could not be loaded.', needs: 'The pathway needs' });
  }
}

function renderPathway(data, win) {
  const nodes = data.nodes ?? [];
  const links = (data.links ?? []).filter(l => l.value > 0);
  const label = new Map(nodes.map(n => [n.id, n.label ?? n.id]));
  const value = new Map(nodes.map(n => [n.id, n.value]));
  const linked = new Set(links.flatMap(l => [l.source, l.target]));

  $('pathway-table').replaceChildren(
    table('Children at each step', ['Step', 'Children'], nodes.map(n => [n.label ?? n.id, fmt(n.value, 'count')]), [1]),
    table('Flows between steps', ['From', 'To', 'Children'], links.map(l => [label.get(l.source) ?? l.source, label.get(l.target) ?? l.target, fmt(l.value, 'count')]), [2]));

  if (links.length === 0) {
    $('pathway-note').textContent = '';
    disposeChart($('pathway-chart'));
    $('pathway-chart').hidden = true;
    setStatus('pathway', 'pathway-status', 'empty', `No contacts or later steps were recorded in ${describeWindow(win)}.`);
    return;
  }

  // Each node counts the window's events, not one cohort followed through, and a link carries its target's count
  // (docs/analyst-api.md). A flow cannot be drawn wider than either end, so the chart caps it and says so; the
  // table keeps the service's own figures. Nodes without links (re-referrals) are named beside the chart.
  const unlinked = nodes.filter(n => !linked.has(n.id) && n.value > 0);
  const drawn = links.map(l => ({ ...l, value: Math.min(l.value, value.get(l.source) ?? l.value, value.get(l.target) ?? l.value) }));
  const capped = drawn.filter((l, i) => l.value < links[i].value);
  $('pathway-note').textContent = [
    unlinked.length ? `Beside the flow (no single step leads to them): ${unlinked.map(n => `${n.label ?? n.id} ${fmt(n.value, 'count')}`).join(', ')}.` : '',
    capped.length ? `Flows are drawn at most as wide as the steps they join (${capped.map(l => `${label.get(l.source)} → ${label.get(l.target)}`).join('; ')}); the table gives the service's figures.` : '',
  ].filter(Boolean).join(' ');

  const top = nodes.filter(n => n.value != null).slice(0, 6).map(n => `${n.label ?? n.id} ${fmt(n.value, 'count')}`).join(', ');
  const summary = `Sankey diagram of the pathway in ${describeWindow(win)}: ${top}${nodes.length > 6 ? ', and more' : ''}. The data table below lists every step and flow.`;
  try {
    render($('pathway-chart'), {
      tooltip: {
        ...baseOption().tooltip, trigger: 'item',
        formatter: p => (p.dataType === 'edge'
          ? tooltipHtml(`${label.get(p.data.source)} → ${label.get(p.data.target)}`,
            [['Children', fmt(links.find(l => l.source === p.data.source && l.target === p.data.target)?.value ?? p.data.value, 'count')]])
          : tooltipHtml(label.get(p.name) ?? p.name, [['Children', fmt(value.get(p.name) ?? p.value, 'count')]])),
      },
      series: [{
        type: 'sankey',
        left: 8, right: 150, top: 8, bottom: 8,
        nodeWidth: 14, nodeGap: 10, nodeAlign: 'left', layoutIterations: 64,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        data: nodes.filter(n => linked.has(n.id)).map(n => ({
          name: n.id, value: n.value,
          itemStyle: { color: stageColour(n.id), borderColor: INK, borderWidth: stageColour(n.id) === OKABE_ITO.yellow ? 1 : 0 },
        })),
        links: drawn.map(l => ({ source: l.source, target: l.target, value: l.value })),
        lineStyle: { color: 'gradient', opacity: 0.28, curveness: 0.5 },
        label: {
          color: INK, fontSize: 12, fontFamily: FONT,
          formatter: p => `{name|${(label.get(p.name) ?? p.name).replace(/[{}|]/g, '')}} {value|${fmt(value.get(p.name) ?? p.value, 'count')}}`,
          rich: { name: { color: INK, fontSize: 12 }, value: { color: INK, fontSize: 12, fontWeight: 'bold' } },
        },
      }],
    }, summary);
    setStatus('pathway', 'pathway-status', 'ready', '');
  } catch (error) {
    disposeChart($('pathway-chart'));
    $('pathway-chart').hidden = true;
    setStatus('pathway', 'pathway-status', 'error', { title: 'The pathway could not be drawn; its numbers are in the table below.', detail: String(error.message ?? error) });
    $('pathway').dataset.state = 'ready';
  }
}

