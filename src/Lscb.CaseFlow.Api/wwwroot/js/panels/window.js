// The window: a financial quarter or year, a rolling 12 months, or two dates; kept in the address bar.

import { $, el } from '../dom.js';
import { parseDate, fyOf, fyName, quarterOf, yearOf, rollingYear, describeWindow, fmtLong } from '../format.js';
import { withQuery } from '../api.js';
import { state } from '../state.js';
import { loadComparison } from './tiles.js';
import { loadTrends } from './trends.js';
import { loadPathway } from './pathway.js';
import { loadConsent } from './consent.js';

export function initWindowPicker() {
  const fySelect = $('fy-select');
  const thisFy = fyOf(new Date());
  for (let fy = thisFy; fy >= 2010; fy--) {
    fySelect.append(el('option', { value: fy, text: fyName(fy) }));
  }

  $('period-buttons').addEventListener('click', event => {
    const button = event.target.closest('button[data-period]');
    if (!button) return;
    const fy = Number(fySelect.value);
    const period = button.dataset.period;
    applyWindow(period === 'year' ? yearOf(fy) : quarterOf(fy, Number(period.slice(1))));
  });

  $('rolling-apply').addEventListener('click', () => {
    const w = rollingYear($('rolling-end').value);
    if (!w) { showWindowError('Enter the date the rolling 12 months end on.', $('rolling-end')); return; }
    applyWindow(w);
  });

  $('window-form').addEventListener('submit', event => {
    event.preventDefault();
    const from = $('from-date').value, to = $('to-date').value;
    if (!parseDate(from)) { showWindowError('Enter the first day of the window as a date.', $('from-date')); return; }
    if (!parseDate(to)) { showWindowError('Enter the last day of the window as a date.', $('to-date')); return; }
    if (from > to) { showWindowError('The window must start on or before the day it ends.', $('from-date')); return; }
    applyWindow({ from, to });
  });

  fySelect.addEventListener('change', updatePressed);
}

function showWindowError(message, field) {
  const error = $('window-error');
  error.textContent = message;
  error.hidden = false;
  for (const input of [$('from-date'), $('to-date'), $('rolling-end')]) input.removeAttribute('aria-invalid');
  field.setAttribute('aria-invalid', 'true');
  field.focus();
}

export function clearWindowError() {
  $('window-error').hidden = true;
  $('window-error').textContent = '';
  for (const input of [$('from-date'), $('to-date'), $('rolling-end')]) input.removeAttribute('aria-invalid');
}

/** Marks the quarter/year button matching the window (and the selected financial year) as pressed. */
function updatePressed() {
  const fy = Number($('fy-select').value);
  for (const button of document.querySelectorAll('#period-buttons button')) {
    const p = button.dataset.period;
    const w = p === 'year' ? yearOf(fy) : quarterOf(fy, Number(p.slice(1)));
    const pressed = state.window && w.from === state.window.from && w.to === state.window.to;
    button.setAttribute('aria-pressed', pressed ? 'true' : 'false');
  }
}

export function applyWindow(win) {
  clearWindowError();
  state.window = win;
  const from = parseDate(win.from);
  $('from-date').value = win.from;
  $('to-date').value = win.to;
  if (from && [...$('fy-select').options].some(o => Number(o.value) === fyOf(from))) {
    $('fy-select').value = String(fyOf(from));
  }
  updatePressed();

  const url = new URL(location.href);
  url.searchParams.set('from', win.from);
  url.searchParams.set('to', win.to);
  history.replaceState(null, '', url);

  const name = describeWindow(win);
  const summary = $('window-summary');
  summary.replaceChildren('Showing ', el('strong', { text: name }),
    name.includes(fmtLong(win.from)) ? '' : `: ${fmtLong(win.from)} to ${fmtLong(win.to)}`, '.');
  document.title = `${name} · CaseFlow child protection dashboard`;

  $('board-report-link').dataset.href = withQuery('api/reports/board', win);
  $('board-report-link').dataset.filename = `board-report-${win.from}-to-${win.to}.html`;
  $('comparison-csv-link').dataset.href = withQuery('api/kpis/comparison', { ...win, format: 'csv' });
  $('comparison-csv-link').dataset.filename = `kpis-${win.from}-to-${win.to}.csv`;

  const generation = ++state.generation;
  loadComparison(win, generation);
  loadTrends(generation);
  loadPathway(win, generation);
  loadConsent(win, generation);
}

