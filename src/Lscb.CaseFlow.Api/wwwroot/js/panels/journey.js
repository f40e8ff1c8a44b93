// A child's journey (GET /api/children/{id}/journey[?asOf=]): a timeline by lane and the list of its events, worded
// with the catalogue's labels.

import { $, el } from '../dom.js';
import { DAY, parseDate, iso, addDays, addMonths, fmtLong, fmtShort } from '../format.js';
import { getJson } from '../api.js';
import { labelOf } from '../catalogue.js';
import { OKABE_ITO, INK, MUTED, GRID, AXIS, baseOption, render, tooltipHtml, disposeChart } from '../charts.js';
import { setStatus, showFailure } from '../status.js';

const LANES = ['Front door', 'Early help', 'Assessment', 'S47 and conference', 'Plan', 'Care', 'Corrections'];
const LANE_SYMBOLS = ['circle', 'diamond', 'rect', 'triangle', 'roundRect', 'pin', 'emptyCircle'];
const LANE_COLOURS = [OKABE_ITO.blue, OKABE_ITO.green, OKABE_ITO.sky, OKABE_ITO.purple, OKABE_ITO.vermillion, OKABE_ITO.black, '#7f8c99'];

function describeEvent(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'contact': return ['Front door', `Contact${labelOf('referralSources', d.referralSource) ? ` from ${labelOf('referralSources', d.referralSource)}` : ''}`];
    case 'referral-nfa': return ['Front door', 'Referral taken no further (no further action)'];
    case 'referral-closed': return ['Front door', `Child-in-need episode closed${labelOf('closureReasons', d.reason) ? `: ${labelOf('closureReasons', d.reason)}` : ''}`];
    case 'mash-decision': return ['Front door', `MASH decision: ${labelOf('mashDecisions', d.decision) ?? d.decision ?? 'recorded'}`];
    case 'referral': return ['Front door', 'Referral accepted by children’s social care'];
    case 'engage-referral': return ['Early help', 'Passed to early help (Engage team)'];
    case 'consent-declined': return ['Early help', 'Parents declined consent'];
    case 'assessment-started': return ['Assessment', 'Assessment started'];
    case 'assessment-completed': return ['Assessment', `Assessment completed${d.outcome ? `: ${labelOf('assessmentOutcomes', d.outcome) ?? String(d.outcome).replaceAll('-', ' ')}` : ''}`];
    case 'strategy-discussion': return ['S47 and conference', 'Strategy discussion'];
    case 's47-started': return ['S47 and conference', 'Section 47 enquiry started'];
    case 's47-completed': return ['S47 and conference', `Section 47 enquiry concluded${d.outcome ? `: ${labelOf('s47Outcomes', d.outcome) ?? d.outcome}` : ''}`];
    case 'icpc': return ['S47 and conference', `Initial child protection conference${d.outcome ? `: ${labelOf('conferenceOutcomes', d.outcome) ?? d.outcome}` : ''}`];
    case 'plan-started': return ['Plan', `Child protection plan started${labelOf('abuseCategories', d.category) ? ` (${labelOf('abuseCategories', d.category)})` : ''}`];
    case 'plan-reviewed': return ['Plan', 'Child protection plan reviewed'];
    case 'plan-ceased': return ['Plan', 'Child protection plan ceased'];
    case 'cin-plan-started': return ['Assessment', 'Child-in-need plan started'];
    case 'cin-plan-ceased': return ['Assessment', 'Child-in-need plan ended'];
    case 'lac-started': return ['Care', `Became looked after${d.legalStatus ? ` (${labelOf('legalStatuses', d.legalStatus) ?? `legal status ${d.legalStatus}`})` : ''}`];
    case 'lac-ceased': return ['Care', 'Stopped being looked after'];
    case 'retraction': return ['Corrections', 'Correction: an earlier record withdrawn'];
    default: return ['Corrections', e.type];
  }
}

function eventDetails(e) {
  const d = e.data ?? {};
  const parts = Object.entries(d).map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(', ') : value}`);
  parts.push(`id ${e.id}`, `from ${e.source}`);
  if (e.recordedAt) parts.push(`stored ${fmtShort(String(e.recordedAt).slice(0, 10))}`);
  return parts.join(' · ');
}

export function initJourney() {
  $('journey-form').addEventListener('submit', event => {
    event.preventDefault();
    const input = $('child-id');
    const id = input.value.trim();
    const error = $('journey-error');
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      error.textContent = 'Enter a child id: letters, digits, hyphens or underscores, for example NASEEM01.';
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    loadJourney(id, $('as-of').value || null);
  });
}

export async function loadJourney(childId, asOf) {
  const token = ++loadJourney.token;
  setStatus('journey', 'journey-status', 'loading', `Loading the journey of ${childId}…`);
  try {
    const data = await getJson(`api/children/${encodeURIComponent(childId)}/journey`, { asOf });
    if (token !== loadJourney.token) return;
    renderJourney(data, asOf);
    setStatus('journey', 'journey-status', 'ready', `${data.events?.length ?? 0} events for ${data.childId ?? childId}.`);
  } catch (error) {
    if (token !== loadJourney.token) return;
    $('journey-result').hidden = true;
    disposeChart($('journey-chart'));
    if (error.status === 404) {
      setStatus('journey', 'journey-status', 'error', { title: `No events are held for ${childId}.`, detail: 'Check the id; ids are case-sensitive.' });
    } else {
      showFailure('journey', 'journey-status', error, { title: `The journey of ${childId} could not be loaded.`, needs: 'A child’s journey needs' });
    }
  }
}
loadJourney.token = 0;

function renderJourney(data, asOf) {
  const events = data.events ?? [];
  const childId = data.childId ?? '';
  const retracted = events.filter(e => e.retracted).length;
  $('journey-title').textContent = `${childId}${data.asOf || asOf ? `, as it stood on ${fmtLong(data.asOf ?? asOf)}` : ''}`;
  const status = data.status ?? {};
  $('journey-badges').replaceChildren(
    el('li', { class: `badge${status.onPlan ? ' badge--on' : ''}`, text: `On a child protection plan: ${status.onPlan ? 'yes' : 'no'}` }),
    el('li', { class: `badge${status.lookedAfter ? ' badge--on' : ''}`, text: `Looked after: ${status.lookedAfter ? 'yes' : 'no'}` }),
    el('li', { class: 'badge', text: `${events.length} events${retracted ? `, ${retracted} retracted` : ''}` }));

  $('journey-list').replaceChildren(...events.map(e => {
    const [lane, title] = describeEvent(e);
    const notes = e.annotations ?? [];
    return el('li', { class: `tl-item${e.retracted ? ' tl-item--retracted' : ''}`, 'data-type': e.type, 'data-retracted': e.retracted ? 'true' : 'false' },
      el('time', { class: 'tl-date', datetime: e.occurredOn, text: fmtShort(e.occurredOn) }),
      el('div', { class: 'tl-body' },
        el('p', { class: 'tl-title' },
          el('span', { class: 'tl-lane', text: lane }),
          e.retracted ? el('del', { text: title }) : el('span', { text: title }),
          e.retracted ? el('span', { class: 'tl-retracted-label', text: 'Retracted: counted nowhere' }) : null),
        el('p', { class: 'tl-details', text: eventDetails(e) }),
        notes.length ? el('ul', { class: 'tl-notes', 'aria-label': 'Notes' },
          notes.map(a => el('li', { class: a.code === 'retracted' ? 'note--retracted' : null, text: a.text ?? a.code }))) : null));
  }));
  $('journey-result').hidden = false;
  drawJourneyChart(events, childId, data.asOf ?? asOf);
}

function drawJourneyChart(events, childId, asOf) {
  const container = $('journey-chart');
  if (!events.length) { container.hidden = true; return; }
  const points = events.map(e => {
    const [lane, title] = describeEvent(e);
    return { e, lane, title, laneIndex: Math.max(0, LANES.indexOf(lane)) };
  });

  // Plans and care episodes as bars from start to end; one still open runs to the as-of date, drawn at most
  // a year past the last event so that a long-ago journey is not squeezed into the left edge.
  const first = parseDate(events[0].occurredOn), last = parseDate(events.at(-1).occurredOn);
  const asOfDate = parseDate(asOf) ?? new Date();
  const axisEnd = new Date(Math.max(last.getTime() + 45 * DAY, Math.min(asOfDate.getTime(), addMonths(last, 12).getTime())));
  const periods = [];
  const periodOf = (startType, endType, idField, laneName) => {
    for (const s of events.filter(x => x.type === startType && !x.retracted)) {
      const stop = events.find(x => x.type === endType && !x.retracted && x.data?.[idField] === s.data?.[idField]);
      periods.push({ lane: LANES.indexOf(laneName), from: s.occurredOn, to: stop?.occurredOn ?? iso(axisEnd), open: !stop });
    }
  };
  periodOf('plan-started', 'plan-ceased', 'planId', 'Plan');
  periodOf('lac-started', 'lac-ceased', 'episodeId', 'Care');

  const lanesUsed = LANES.filter((_, i) => points.some(p => p.laneIndex === i) || periods.some(p => p.lane === i));
  const summary = `Timeline of ${childId}: ${events.length} events from ${fmtLong(events[0].occurredOn)} to ${fmtLong(events.at(-1).occurredOn)}, `
    + `in ${lanesUsed.map(l => l.toLowerCase()).join(', ')}. The list below gives every event with its date and notes.`;

  const series = LANES.map((lane, i) => ({
    type: 'scatter', name: lane,
    symbol: LANE_SYMBOLS[i], symbolSize: 12,
    itemStyle: { color: LANE_COLOURS[i], borderColor: '#fff', borderWidth: 1 },
    data: points.filter(p => p.laneIndex === i).map(p => ({
      value: [p.e.occurredOn, lane], ev: p,
      itemStyle: p.e.retracted ? { color: '#fff', borderColor: '#6b7682', borderWidth: 2, borderType: 'dashed' } : undefined,
    })),
  }));
  for (const p of periods) {
    series.push({
      type: 'line', silent: true, symbol: 'none', z: 1, tooltip: { show: false },
      lineStyle: { width: 10, color: LANE_COLOURS[p.lane], opacity: 0.22, type: p.open ? 'solid' : 'solid', cap: 'round' },
      data: [[p.from, LANES[p.lane]], [p.to, LANES[p.lane]]],
    });
  }

  render(container, {
    grid: { left: 150, right: 24, top: 12, bottom: 28, containLabel: false },
    tooltip: {
      ...baseOption().tooltip, trigger: 'item',
      formatter: p => {
        const ev = p.data?.ev;
        if (!ev) return '';
        const notes = (ev.e.annotations ?? []).map(a => a.text ?? a.code).join(' ');
        return tooltipHtml(`${fmtShort(ev.e.occurredOn)}: ${ev.title}${ev.e.retracted ? ' (retracted)' : ''}`, [], notes);
      },
    },
    xAxis: { type: 'time', min: iso(addDays(first, -20)), max: iso(axisEnd), axisLine: { lineStyle: { color: AXIS } }, splitLine: { show: true, lineStyle: { color: GRID } },
      axisLabel: { color: MUTED, fontSize: 11, hideOverlap: true } },
    yAxis: { type: 'category', data: LANES, inverse: true, axisTick: { show: false }, axisLine: { lineStyle: { color: AXIS } },
      splitLine: { show: true, lineStyle: { color: GRID } }, axisLabel: { color: INK, fontSize: 12 } },
    series,
  }, summary);
}

