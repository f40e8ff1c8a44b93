// The consent hypothesis (GET /api/hypothesis/consent): re-referral rates after declined consent and otherwise.

import { $, table } from '../dom.js';
import { fmt } from '../format.js';
import { getJson } from '../api.js';
import { OKABE_ITO, INK, MUTED, GRID, AXIS, baseOption, render, tooltipHtml, disposeChart } from '../charts.js';
import { setStatus, showFailure } from '../status.js';
import { state } from '../state.js';

export async function loadConsent(win, generation) {
  setStatus('consent', 'consent-status', 'loading', 'Loading the consent analysis…');
  $('consent-sentence').textContent = '';
  try {
    const data = await getJson('api/hypothesis/consent', win);
    if (generation !== state.generation) return;
    renderConsent(data);
    setStatus('consent', 'consent-status', 'ready', '');
  } catch (error) {
    if (generation !== state.generation) return;
    disposeChart($('consent-chart'));
    $('consent-chart').hidden = true;
    $('consent-table').replaceChildren();
    showFailure('consent', 'consent-status', error, { title: 'The consent analysis could not be loaded.', needs: 'The consent analysis needs' });
  }
}

function renderConsent(data) {
  const groups = [
    { name: 'After consent was declined', short: 'Declined consent', d: data.afterConsentDeclined ?? {}, colour: OKABE_ITO.vermillion },
    { name: 'All other referrals', short: 'Otherwise', d: data.otherwise ?? {}, colour: OKABE_ITO.blue },
  ];
  $('consent-sentence').textContent = data.sentence ?? '';
  $('consent-table').replaceChildren(table('Re-referral rate by whether consent was declined in the previous 12 months',
    ['Referrals', 'Referrals in the window', 'Of which re-referrals', 'Re-referral rate'],
    groups.map(g => [g.name, fmt(g.d.referrals, 'count'), fmt(g.d.reReferrals, 'count'), fmt(g.d.rate, 'percentage')]), [1, 2, 3]));

  const summary = `Bar chart of re-referral rates: ${groups.map(g => `${g.name.toLowerCase()} ${fmt(g.d.rate, 'percentage')} (${fmt(g.d.reReferrals, 'count')} of ${fmt(g.d.referrals, 'count')})`).join('; ')}.`;
  render($('consent-chart'), {
    grid: { left: 190, right: 150, top: 8, bottom: 28, containLabel: false },
    tooltip: {
      ...baseOption().tooltip, trigger: 'item',
      formatter: p => {
        const g = groups[p.dataIndex];
        return tooltipHtml(g.name, [['Re-referral rate', fmt(g.d.rate, 'percentage')], ['Re-referrals', fmt(g.d.reReferrals, 'count')], ['Referrals', fmt(g.d.referrals, 'count')]]);
      },
    },
    xAxis: { type: 'value', min: 0, max: v => Math.max(10, Math.ceil(v.max / 10) * 10), splitLine: { lineStyle: { color: GRID } },
      axisLabel: { color: MUTED, formatter: v => `${v}%` } },
    yAxis: { type: 'category', inverse: true, data: groups.map(g => g.name), axisLine: { lineStyle: { color: AXIS } }, axisTick: { show: false },
      axisLabel: { color: INK, fontSize: 13, fontWeight: 600, width: 175, overflow: 'break', lineHeight: 17 } },
    series: [{
      type: 'bar', barWidth: '52%',
      data: groups.map(g => ({ value: g.d.rate ?? 0, itemStyle: { color: g.colour } })),
      label: {
        show: true, position: 'right', color: INK, fontSize: 13,
        formatter: p => {
          const g = groups[p.dataIndex];
          return g.d.rate == null ? 'no referrals' : `${fmt(g.d.rate, 'percentage')}  (${fmt(g.d.reReferrals, 'count')} of ${fmt(g.d.referrals, 'count')})`;
        },
      },
    }],
  }, summary);
}

