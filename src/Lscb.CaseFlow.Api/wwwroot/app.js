// CaseFlow dashboard: plain ES module, no build step. Talks only to this service's own API
// (docs/analyst-api.md, ../shared/spec/api.md). Every text from the API goes in through textContent, never as HTML.
// Each panel loads on its own: one endpoint failing shows a message in its panel and leaves the rest working.

const echarts = window.echarts;

// ---------------------------------------------------------------------------------------------------------
// Constants

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. Ordered for use on white. */
const OKABE_ITO = {
  blue: '#0072B2', vermillion: '#D55E00', green: '#009E73', purple: '#CC79A7',
  orange: '#E69F00', sky: '#56B4E9', black: '#000000', yellow: '#F0E442',
};
const PALETTE = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.orange, OKABE_ITO.sky, OKABE_ITO.black];
const INK = '#161b21';
const MUTED = '#47525e';
const GRID = '#e3e8ec';
const AXIS = '#8a96a2';
const FONT = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';

const DEFAULT_WINDOW = { from: '2016-04-01', to: '2016-06-30' }; // Q1 2016-17: the demo data's story
const DEFAULT_TRENDS = ['referrals', 'reReferralRate', 'contactsToAssessmentOrS47Rate', 's47ToIcpcRate', 'childrenOnPlan', 'plansOver18MonthsRate'];

/** The measures of kpis.md, by stage of the pathway. Titles are replaced by the API's when it answers. */
const GROUPS = [
  { id: 'front', title: 'Front door: contacts and referrals', keys: [
    ['contacts', 'Contacts', 'count'], ['referrals', 'Referrals', 'count'], ['childrenReferred', 'Children referred', 'count'],
    ['referralFamilies', 'Families referred', 'count'], ['referralRatePer10k', 'Referral rate per 10,000 children', 'rate'],
    ['reReferralRate', 'Re-referrals within 12 months', 'percentage'],
    ['contactsToAssessmentOrS47Rate', 'Contacts leading to an assessment or S47', 'percentage']] },
  { id: 'early', title: 'Early help and consent', keys: [
    ['earlyHelpReferrals', 'Early help referrals', 'count'], ['consentDeclined', 'Consent declined', 'count'],
    ['reReferralsAfterConsentDeclinedRate', 'Re-referrals after declined consent', 'percentage']] },
  { id: 'enquiry', title: 'Assessments and section 47 enquiries', keys: [
    ['assessmentsStarted', 'Assessments started', 'count'], ['strategyDiscussions', 'Strategy discussions', 'count'],
    ['s47', 'Section 47 enquiries', 'count'], ['s47RatePer10k', 'Section 47 enquiries per 10,000 children', 'rate'],
    ['s47ToIcpcRate', 'Section 47 enquiries leading to a conference', 'percentage']] },
  { id: 'plans', title: 'Conferences and child protection plans', keys: [
    ['icpc', 'Initial child protection conferences', 'count'], ['icpcRatePer10k', 'Conferences per 10,000 children', 'rate'],
    ['childrenOnPlan', 'Children on a plan', 'count'], ['childrenOnPlanRatePer10k', 'Children on a plan per 10,000', 'rate'],
    ['plansOver18MonthsRate', 'Plans open 18 months or more', 'percentage'], ['plansStarted', 'Plans started', 'count'],
    ['repeatPlansRate', 'Second or subsequent plans', 'percentage'], ['repeatPlansWithin2YearsRate', 'Repeat plans within 2 years', 'percentage'],
    ['plansCeased', 'Plans ceased', 'count'], ['plansCeasedLasting2YearsRate', 'Ceased plans that lasted 2 years or more', 'percentage']] },
  { id: 'care', title: 'Children looked after', keys: [
    ['childrenLookedAfter', 'Children looked after', 'count'], ['childrenLookedAfterRatePer10k', 'Children looked after per 10,000', 'rate']] },
];
const KNOWN = new Map(GROUPS.flatMap(g => g.keys.map(([key, title, kind]) => [key, { key, title, kind, group: g.id }])));

const RAG = {
  green: { label: 'Meets target', cls: 'green' },
  amber: { label: 'Within tolerance', cls: 'amber' },
  red: { label: 'Misses target', cls: 'red' },
  none: { label: 'No target set', cls: 'none' },
};

// ---------------------------------------------------------------------------------------------------------
// Small helpers

const $ = id => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

const nfInt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** A value as the analyst reads it: counts whole, percentages and rates to one decimal place. */
function fmt(value, kind, { unit = true } = {}) {
  if (value == null || Number.isNaN(value)) return '—';
  if (kind === 'count') return nfInt.format(value);
  if (kind === 'percentage') return nf1.format(value) + (unit ? '%' : '');
  return nf1.format(value);
}
function unitOf(kind, apiUnit) {
  if (kind === 'rate') return apiUnit || 'per 10,000';
  return '';
}

// Dates are handled as UTC calendar days, written YYYY-MM-DD.
const DAY = 86_400_000;
function parseDate(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text ?? '')) return null;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
}
const iso = date => date.toISOString().slice(0, 10);
const addDays = (date, n) => new Date(date.getTime() + n * DAY);
/** Calendar months, clamped to the end of the month (as .NET DateOnly.AddMonths). */
function addMonths(date, n) {
  const y = date.getUTCFullYear(), m = date.getUTCMonth() + n, d = date.getUTCDate();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last)));
}
/** The financial year (April–March) a date falls in, named by the calendar year it starts in. */
const fyOf = date => (date.getUTCMonth() >= 3 ? date.getUTCFullYear() : date.getUTCFullYear() - 1);
const fyName = fy => `${fy}-${String((fy + 1) % 100).padStart(2, '0')}`;
function quarterOf(fy, q) {
  const from = new Date(Date.UTC(fy, 3 + (q - 1) * 3, 1));
  return { from: iso(from), to: iso(addDays(addMonths(from, 3), -1)) };
}
const yearOf = fy => ({ from: `${fy}-04-01`, to: `${fy + 1}-03-31` });
function rollingYear(endText) {
  const end = parseDate(endText);
  return end ? { from: iso(addDays(addMonths(end, -12), 1)), to: iso(end) } : null;
}
/** The first day of the financial quarter holding a date. */
function quarterStart(date) {
  const m = date.getUTCMonth();
  return new Date(Date.UTC(date.getUTCFullYear(), m - ((m + 9) % 3), 1));
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const fmtLong = text => (parseDate(text) ? longDate.format(parseDate(text)) : text);
const fmtShort = text => (parseDate(text) ? shortDate.format(parseDate(text)) : text);

/** What a window is called: "Q1 2016-17", "2016-17", "12 months to 30 June 2016", or its two dates. */
function describeWindow({ from, to }) {
  const f = parseDate(from), t = parseDate(to);
  if (!f || !t) return `${from} to ${to}`;
  const fy = fyOf(f);
  for (let q = 1; q <= 4; q++) {
    const w = quarterOf(fy, q);
    if (w.from === from && w.to === to) return `Q${q} ${fyName(fy)}`;
  }
  const y = yearOf(fy);
  if (y.from === from && y.to === to) return `Financial year ${fyName(fy)}`;
  const r = rollingYear(to);
  if (r && r.from === from) return `12 months to ${fmtLong(to)}`;
  return `${fmtLong(from)} to ${fmtLong(to)}`;
}

// ---------------------------------------------------------------------------------------------------------
// The API key: kept in this tab's sessionStorage only (never localStorage, a cookie or a URL) and sent as
// "Authorization: Bearer" on every call. A 401 anywhere ends the session and returns to the sign-in form.

const KEY_ITEM = 'caseflow.apiKey';
let memoryKey = null; // only when the browser refuses sessionStorage: then the key lasts until the page is left

function readKey() {
  try { return sessionStorage.getItem(KEY_ITEM) ?? memoryKey; } catch { return memoryKey; }
}
function storeKey(key) {
  try { sessionStorage.setItem(KEY_ITEM, key); memoryKey = null; } catch { memoryKey = key; }
}
function forgetKey() {
  memoryKey = null;
  try { sessionStorage.removeItem(KEY_ITEM); } catch { /* nothing was stored */ }
}

/** The role each endpoint needs (src/Lscb.CaseFlow.Api/Endpoints), to say which one a 403 was missing. */
const ROLE_NEEDED = [[/^api\/children\//, 'auditor'], [/^api\/data-quality/, 'auditor'], [/^api\//, 'analyst']];
const roleFor = path => (ROLE_NEEDED.find(([re]) => re.test(path)) ?? [null, 'analyst'])[1];

class ApiError extends Error {
  constructor(status, message, role = null) { super(message); this.status = status; this.role = role; }
}

function withQuery(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== ''));
  return query.size ? `${path}?${query}` : path;
}

/** A request with the key. A 401 signs out (once, whichever panel saw it first); any other non-2xx answer becomes
 *  an ApiError with the problem details' words, a 403 with the role that was missing. */
async function apiFetch(path, params = {}, accept = 'application/json') {
  const key = readKey();
  if (!key) {
    endSession('expired');
    throw new ApiError(401, 'You are signed out.');
  }
  let response;
  try {
    response = await fetch(withQuery(path, params), {
      headers: { Accept: accept, Authorization: `Bearer ${key}` }, cache: 'no-store', credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'The service could not be reached. Check your connection and try again.');
  }
  if (response.status === 401) {
    if (readKey() === key) endSession('rejected');
    throw new ApiError(401, 'The service did not accept your API key (401).');
  }
  if (response.status === 403) {
    const role = roleFor(path);
    throw new ApiError(403, `Your API key does not have the ${role} role (403 Forbidden).`, role);
  }
  if (!response.ok) {
    let detail = '';
    try {
      const problem = await response.json();
      detail = [problem.title, problem.detail].filter(Boolean).join(': ');
    } catch { /* not problem details */ }
    const what = response.status === 404 && (!detail || /^not found$/i.test(detail)) ? 'This part of the service is not available (404 Not Found).'
      : response.status === 429 ? 'The service is busy with this key\'s requests (429). Wait a few seconds and try again.'
      : `The service answered ${response.status}${detail ? ` — ${detail}` : ` ${response.statusText || ''}`}.`;
    throw new ApiError(response.status, what.replace(/\s+\./, '.'));
  }
  return response;
}

/** GET a JSON answer. */
async function getJson(path, params = {}) {
  const response = await apiFetch(path, params);
  try {
    return await response.json();
  } catch {
    throw new ApiError(response.status, 'The service sent an answer that could not be read.');
  }
}

/** Whether the service knows a key, before anything is shown. A 403 is a known key without the analyst role
 *  (the panels then say which role they need); a 429 or a 5xx says nothing about the key. */
async function checkKey(key) {
  let response;
  try {
    response = await fetch('api/targets', {
      headers: { Accept: 'application/json', Authorization: `Bearer ${key}` }, cache: 'no-store', credentials: 'omit',
    });
  } catch {
    return 'unreachable';
  }
  if (response.ok || response.status === 403) return 'accepted';
  if (response.status === 401) return 'rejected';
  return response.status === 429 ? 'busy' : `failed:${response.status}`;
}

// ---------------------------------------------------------------------------------------------------------
// Panel state: loading / ready / error, announced through each panel's polite live region.

function setStatus(panelId, statusId, state, message = '') {
  const panel = panelId ? $(panelId) : null, status = $(statusId);
  if (panel) {
    panel.dataset.state = state;
    panel.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
  }
  status.className = `status status--${state}`;
  status.replaceChildren();
  if (state === 'error' || state === 'forbidden') {
    status.append(el('strong', { text: message.title }), ' ', message.detail);
  } else if (message) {
    status.textContent = message;
  }
}

/** A failed request in a panel: a calm note naming the role a 403 lacked, else the error. After a 401 the session has
 *  already ended and the panel is cleared, so nothing is shown. */
function showFailure(panelId, statusId, error, { title, needs }) {
  if (error.status === 401) return;
  if (error.status === 403) {
    setStatus(panelId, statusId, 'forbidden', {
      title: `${needs} the ${error.role} role.`,
      detail: `Your API key does not have it, so this is not shown. Ask your administrator if your work needs the ${error.role} role.`,
    });
  } else {
    setStatus(panelId, statusId, 'error', { title, detail: error.message });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Charts

const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const charts = new Map();

function chartFor(container) {
  let chart = charts.get(container);
  if (!chart) {
    chart = echarts.init(container, null, { renderer: 'canvas' });
    charts.set(container, chart);
    new ResizeObserver(() => chart.resize()).observe(container);
  }
  return chart;
}

function disposeChart(container) {
  const chart = charts.get(container);
  if (chart) { chart.dispose(); charts.delete(container); }
}

/** Options every chart shares: the palette, the page's font, no animation when motion is reduced. */
function baseOption() {
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

function render(container, option, summary) {
  if (!echarts) { container.hidden = true; return null; }
  container.hidden = false;
  container.setAttribute('aria-label', summary);
  const chart = chartFor(container);
  chart.setOption({ ...baseOption(), ...option }, { notMerge: true });
  return chart;
}

function tooltipHtml(title, rows = [], note) {
  return `<div class="tt"><div class="tt__title">${escapeHtml(title)}</div>${rows.map(([k, v]) =>
    `<div class="tt__row"><span>${escapeHtml(k)}</span><strong>${escapeHtml(v)}</strong></div>`).join('')}${note ? `<div class="tt__note">${escapeHtml(note)}</div>` : ''}</div>`;
}

/** An HTML table holding a chart's numbers. */
function table(caption, headers, rows, numeric = []) {
  return el('div', { class: 'table-wrap' },
    el('table', {},
      el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null, text: h })))),
      el('tbody', {}, rows.map(r => el('tr', {}, r.map((cell, i) =>
        i === 0 ? el('th', { scope: 'row', text: cell }) : el('td', { class: numeric.includes(i) ? 'num' : null, text: cell })))))));
}

// ---------------------------------------------------------------------------------------------------------
// The window

const state = {
  window: null,
  comparison: null,
  series: null,
  generation: 0, // answers for an older window are dropped
  titles: new Map([...KNOWN].map(([k, v]) => [k, v.title])),
  kinds: new Map([...KNOWN].map(([k, v]) => [k, v.kind])),
  selected: new Set(DEFAULT_TRENDS),
  session: 0, // answers for a session that has ended are dropped
};

function initWindowPicker() {
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

function clearWindowError() {
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

function applyWindow(win) {
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

// ---------------------------------------------------------------------------------------------------------
// KPI tiles (GET /api/kpis/comparison)

async function loadComparison(win, generation) {
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
  const groups = GROUPS.map(g => ({ ...g, items: g.keys.map(([key]) => byKey.get(key)).filter(Boolean) }));
  const other = kpis.filter(k => !KNOWN.has(k.key));
  if (other.length) groups.push({ id: 'other', title: 'Other measures', items: other });

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

// ---------------------------------------------------------------------------------------------------------
// Trends (GET /api/kpis/series)

function trendRange(by) {
  const to = parseDate(state.window.to);
  const from = by === 'year' ? addMonths(new Date(Date.UTC(fyOf(to), 3, 1)), -24)
    : by === 'month' ? addMonths(new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1)), -35)
      : addMonths(quarterStart(to), -33);
  return { from: iso(from), to: state.window.to };
}

/** The measure checkboxes; later calls only rename them (so that focus and ticks stay where they are). */
function renderMeasureOptions() {
  const box = $('measure-options');
  const keys = [...new Set([...GROUPS.flatMap(g => g.keys.map(([k]) => k)), ...(state.comparison?.kpis ?? []).map(k => k.key)])];
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

function initTrends() {
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

async function loadTrends(generation) {
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

function renderTrends(data) {
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

// ---------------------------------------------------------------------------------------------------------
// Pathway Sankey (GET /api/pathway)

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

async function loadPathway(win, generation) {
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

// ---------------------------------------------------------------------------------------------------------
// Consent hypothesis (GET /api/hypothesis/consent)

async function loadConsent(win, generation) {
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

// ---------------------------------------------------------------------------------------------------------
// A child's journey (GET /api/children/{id}/journey[?asOf=])

const LANES = ['Front door', 'Early help', 'Assessment', 'S47 and conference', 'Plan', 'Care', 'Corrections'];
const LANE_SYMBOLS = ['circle', 'diamond', 'rect', 'triangle', 'roundRect', 'pin', 'emptyCircle'];
const LANE_COLOURS = [OKABE_ITO.blue, OKABE_ITO.green, OKABE_ITO.sky, OKABE_ITO.purple, OKABE_ITO.vermillion, OKABE_ITO.black, '#7f8c99'];

const DECISIONS = {
  'no-further-action': 'no further action', 'information-advice': 'information and advice', 'early-help': 'early help',
  assessment: 'assessment', 'section-47': 'section 47 enquiry',
};
const SOURCES = {
  '1A': 'the family', '1B': 'an acquaintance', '1C': 'the child', '1D': 'an individual', '2A': 'a school', '2B': 'education services',
  '3A': 'a GP', '3B': 'a health visitor', '3C': 'a school nurse', '3D': 'primary health', '3E': 'A&E', '3F': 'health services',
  '4': 'housing', '5A': 'social care', '5B': 'the local authority', '5C': 'another local authority', '5D': 'early help', '6': 'the police',
  '7': 'a legal agency', '8': 'another source', '9': 'an anonymous source', '10': 'an unknown source',
};
const CLOSURES = {
  RC1: 'adopted', RC2: 'died', RC3: 'child arrangements order', RC4: 'special guardianship order', RC5: 'transferred to another authority',
  RC6: 'transferred to adult social care', RC7: 'services ceased', RC8: 'closed after assessment, no further action',
  RC9: 'closed after assessment, referred to early help',
};
const CATEGORIES = { NEG: 'neglect', PHY: 'physical abuse', SAB: 'sexual abuse', EMO: 'emotional abuse', MUL: 'multiple categories' };

function describeEvent(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'contact': return ['Front door', `Contact${SOURCES[d.referralSource] ? ` from ${SOURCES[d.referralSource]}` : ''}`];
    case 'referral-nfa': return ['Front door', 'Referral taken no further (no further action)'];
    case 'referral-closed': return ['Front door', `Child-in-need episode closed${CLOSURES[d.reason] ? `: ${CLOSURES[d.reason]}` : ''}`];
    case 'mash-decision': return ['Front door', `MASH decision: ${DECISIONS[d.decision] ?? d.decision ?? 'recorded'}`];
    case 'referral': return ['Front door', 'Referral accepted by children’s social care'];
    case 'engage-referral': return ['Early help', 'Passed to early help (Engage team)'];
    case 'consent-declined': return ['Early help', 'Parents declined consent'];
    case 'assessment-started': return ['Assessment', 'Assessment started'];
    case 'assessment-completed': return ['Assessment', `Assessment completed${d.outcome ? `: ${DECISIONS[d.outcome] ?? d.outcome.replaceAll('-', ' ')}` : ''}`];
    case 'strategy-discussion': return ['S47 and conference', 'Strategy discussion'];
    case 's47-started': return ['S47 and conference', 'Section 47 enquiry started'];
    case 's47-completed': return ['S47 and conference', `Section 47 enquiry concluded: ${d.outcome === 'icpc' ? 'to conference' : d.outcome === 'no-icpc' ? 'no conference' : d.outcome ?? ''}`];
    case 'icpc': return ['S47 and conference', `Initial child protection conference: ${d.outcome === 'plan' ? 'plan agreed' : d.outcome === 'no-plan' ? 'no plan' : d.outcome ?? ''}`];
    case 'plan-started': return ['Plan', `Child protection plan started${CATEGORIES[d.category] ? ` (${CATEGORIES[d.category]})` : ''}`];
    case 'plan-reviewed': return ['Plan', 'Child protection plan reviewed'];
    case 'plan-ceased': return ['Plan', 'Child protection plan ceased'];
    case 'cin-plan-started': return ['Assessment', 'Child-in-need plan started'];
    case 'cin-plan-ceased': return ['Assessment', 'Child-in-need plan ended'];
    case 'lac-started': return ['Care', `Became looked after${d.legalStatus ? ` (legal status ${d.legalStatus})` : ''}`];
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

function initJourney() {
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

async function loadJourney(childId, asOf) {
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

// ---------------------------------------------------------------------------------------------------------
// The board report and the CSV files. A new tab or a download cannot send the key in a header, so each is fetched
// with the key and handed over as a Blob (object URL).

const objectUrls = new Set();

function initDownloads() {
  for (const id of ['board-report-link', 'comparison-csv-link', 'series-csv-link']) {
    $(id).addEventListener('click', event => fetchAndHandOver(event.currentTarget));
  }
  window.addEventListener('pagehide', revokeObjectUrls);
}

function revokeObjectUrls() {
  for (const url of objectUrls) URL.revokeObjectURL(url);
  objectUrls.clear();
}

function objectUrl(blob) {
  const url = URL.createObjectURL(blob);
  objectUrls.add(url);
  return url;
}

async function fetchAndHandOver(button) {
  if (button.getAttribute('aria-busy') === 'true' || !button.dataset.href) return;
  const report = button.id === 'board-report-link';
  const what = report ? 'The board report' : `The file ${button.dataset.filename}`;
  const { href, filename } = button.dataset;
  const session = state.session;
  // The tab is opened now, while this is still the click: a browser blocks a window opened after waiting.
  const tab = report ? window.open('', '_blank') : null;
  if (tab) {
    forgetKeyIn(tab); // a tab opened from this one starts with a copy of its sessionStorage
    try { tab.document.title = 'Preparing the board report…'; tab.document.body.textContent = 'Preparing the board report…'; } catch { /* not ours to write */ }
  }
  button.setAttribute('aria-busy', 'true');
  setStatus(null, 'download-status', 'loading', report ? 'Preparing the board report…' : `Preparing ${filename}…`);
  try {
    const response = await apiFetch(href, {}, report ? 'text/html' : 'text/csv');
    const blob = await response.blob();
    if (session !== state.session) { tab?.close(); return; }
    if (report && tab && !tab.closed) {
      showReport(tab, await blob.text());
      setStatus(null, 'download-status', 'ready', 'The board report is open in a new tab.');
    } else {
      save(blob, filename);
      setStatus(null, 'download-status', 'ready', report
        ? `Your browser did not open a new tab, so the board report was downloaded as ${filename}.` : `${filename} was downloaded.`);
      if (report) $('download-status').className = 'status';
    }
  } catch (error) {
    tab?.close();
    if (session !== state.session) return;
    showFailure(null, 'download-status', error, { title: `${what} could not be prepared.`, needs: `${what} needs` });
  } finally {
    button.removeAttribute('aria-busy');
  }
}

function forgetKeyIn(tab) {
  try { tab.sessionStorage.removeItem(KEY_ITEM); } catch { /* another origin by now: it holds nothing of ours */ }
}

function save(blob, filename) {
  const url = objectUrl(blob);
  const link = el('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => { URL.revokeObjectURL(url); objectUrls.delete(url); }, 60_000);
}

/** The report as a Blob in the tab. Its page inherits this page's Content-Security-Policy, which refuses its inline
 *  <style>: the style is taken out and given to the page through the CSSOM (a constructed stylesheet) instead. */
function showReport(tab, html) {
  const css = [];
  const page = html.replace(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi, (_, text) => { css.push(text); return ''; });
  const url = objectUrl(new Blob([page], { type: 'text/html;charset=utf-8' }));
  tab.location.replace(url);
  const started = Date.now();
  const timer = setInterval(() => {
    try {
      if (tab.closed || Date.now() - started > 30_000) { clearInterval(timer); return; }
      if (tab.location.href !== url || tab.document.readyState === 'loading') return;
      clearInterval(timer);
      const sheet = new tab.CSSStyleSheet();
      sheet.replaceSync(css.join('\n'));
      tab.document.adoptedStyleSheets = [sheet];
      forgetKeyIn(tab);
      tab.opener = null;
    } catch {
      // Between documents; look again.
    }
  }, 50);
}

// ---------------------------------------------------------------------------------------------------------
// Signing in and out

function initSignIn() {
  const input = $('api-key');
  $('api-key-toggle').addEventListener('click', () => setKeyVisible(input.type === 'password'));
  $('sign-in-form').addEventListener('submit', event => {
    event.preventDefault();
    signIn(input.value.trim());
  });
  input.addEventListener('input', () => { if (!$('sign-in-error').hidden) input.removeAttribute('aria-invalid'); });
  $('sign-out').addEventListener('click', () => endSession('signed-out'));
}

function setKeyVisible(visible, { announce = true } = {}) {
  $('api-key').type = visible ? 'text' : 'password';
  $('api-key-toggle-text').textContent = visible ? 'Hide' : 'Show';
  if (announce) $('api-key-visibility').textContent = visible ? 'Your API key is shown.' : 'Your API key is hidden.';
}

async function signIn(key) {
  if (signIn.busy) return;
  const problem = !key ? 'Enter your API key.'
    : key.length < 24 ? 'An API key has at least 24 characters: check that you copied all of it.'
      : !/^[\x21-\x7e]+$/.test(key) ? 'An API key has only letters, digits and punctuation, without spaces.' : null;
  if (problem) { showSignInError(problem); return; }

  signIn.busy = true;
  clearSignInMessages();
  $('sign-in-submit').setAttribute('aria-disabled', 'true');
  $('sign-in-notice').textContent = 'Checking your API key…';
  const outcome = await checkKey(key);
  signIn.busy = false;
  $('sign-in-submit').removeAttribute('aria-disabled');
  $('sign-in-notice').textContent = '';
  if (outcome === 'rejected') {
    showSignInError('That API key was not accepted (401 Unauthorized). Check it and try again, or ask your administrator for a new one.');
    return;
  }
  if (outcome !== 'accepted') {
    showSignInError(outcome === 'unreachable' ? 'The service could not be reached. Check your connection and try again.'
      : outcome === 'busy' ? 'There have been too many attempts from here (429). Wait ten seconds and try again.'
        : `The service could not check your key just now (${outcome.slice('failed:'.length)}). Try again shortly.`);
    return;
  }
  storeKey(key);
  $('api-key').value = '';
  setKeyVisible(false, { announce: false });
  showDashboard({ focus: true });
}
signIn.busy = false;

function showSignInError(message) {
  const error = $('sign-in-error');
  $('sign-in-notice').textContent = '';
  error.textContent = message;
  error.hidden = false;
  $('api-key').setAttribute('aria-invalid', 'true');
  $('api-key').focus();
}

function clearSignInMessages() {
  $('sign-in-error').hidden = true;
  $('sign-in-error').textContent = '';
  $('sign-in-notice').textContent = '';
  $('api-key').removeAttribute('aria-invalid');
}

function showSignIn({ error = null, notice = null, focus = true } = {}) {
  $('dashboard').hidden = true;
  $('masthead-nav').hidden = true;
  $('session').hidden = true;
  $('sign-in').hidden = false;
  document.title = 'Sign in · CaseFlow child protection dashboard';
  clearSignInMessages();
  if (error) {
    showSignInError(error);
  } else {
    if (focus) $('sign-in-heading').focus();
    // Written once the form is showing, so that screen readers hear it.
    if (notice) setTimeout(() => { $('sign-in-notice').textContent = notice; }, 100);
  }
}

function showDashboard({ focus }) {
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  $('masthead-nav').hidden = false;
  $('session').hidden = false;
  clearSignInMessages();

  const params = new URLSearchParams(location.search);
  const from = params.get('from'), to = params.get('to');
  const initial = parseDate(from) && parseDate(to) && from <= to ? { from, to } : DEFAULT_WINDOW;
  $('rolling-end').value = initial.to;
  applyWindow(initial);

  const child = params.get('child');
  if (child && /^[A-Za-z0-9_-]{1,64}$/.test(child)) {
    $('child-id').value = child;
    loadJourney(child, null);
  }
  if (focus) $('dashboard-heading').focus();
}

/** Signed out, or the key refused: forget the key, drop every answer still on its way, and clear every panel so that
 *  nothing the key could see stays on the page. */
function endSession(reason) {
  forgetKey();
  state.session++;
  state.generation++;
  loadJourney.token++;
  loadTrends.token++;
  clearDashboard();
  showSignIn(reason === 'signed-out' ? { notice: 'You have signed out. Your API key has been removed from this tab.' }
    : reason === 'expired' ? { error: 'You are no longer signed in. Sign in again.' }
      : { error: 'Your API key is no longer accepted (401 Unauthorized). Sign in again.' });
}

function clearDashboard() {
  for (const container of [...charts.keys()]) disposeChart(container);
  revokeObjectUrls();
  state.window = null;
  state.comparison = null;
  state.series = null;
  for (const id of ['kpi-groups', 'trend-charts', 'pathway-table', 'consent-table', 'journey-list', 'journey-badges']) $(id).replaceChildren();
  for (const id of ['overview-meta', 'trends-meta', 'pathway-note', 'consent-sentence', 'journey-title']) $(id).textContent = '';
  for (const [panel, status] of [['overview', 'kpi-status'], ['pathway', 'pathway-status'], ['trends', 'trends-status'],
    ['consent', 'consent-status'], ['journey', 'journey-status']]) setStatus(panel, status, 'idle', '');
  setStatus(null, 'download-status', 'idle', '');
  $('journey-result').hidden = true;
  $('child-id').value = '';
  $('as-of').value = '';
  $('journey-error').hidden = true;
  $('authority-name').textContent = 'Safeguarding children partnership';
  $('window-summary').textContent = 'Choose a window to see its figures.';
  for (const id of ['board-report-link', 'comparison-csv-link', 'series-csv-link']) delete $(id).dataset.href;
  clearWindowError();
}

// ---------------------------------------------------------------------------------------------------------
// Start

function start() {
  for (const id of ['overview', 'pathway', 'trends', 'consent', 'journey']) $(id).dataset.state = 'idle';
  if (!echarts) {
    for (const [panel, status] of [['pathway', 'pathway-status'], ['trends', 'trends-status'], ['consent', 'consent-status']]) {
      setStatus(panel, status, 'error', { title: 'The chart library did not load.', detail: 'Tables of the numbers are still shown where available.' });
    }
  }
  initSignIn();
  initWindowPicker();
  initTrends();
  initJourney();
  initDownloads();
  reducedMotion.addEventListener('change', () => { for (const chart of charts.values()) chart.setOption({ animation: !reducedMotion.matches }); });

  // Nothing is asked of the API before there is a key.
  if (readKey()) showDashboard({ focus: false });
  else showSignIn({ focus: false });
}

start();
