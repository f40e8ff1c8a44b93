// Signing in and out: the key is checked before anything is shown, and everything it saw is cleared when it goes.

import { $ } from '../dom.js';
import { parseDate } from '../format.js';
import { checkKey, storeKey, forgetKey, getJson, onSessionEnded } from '../api.js';
import { setCatalogue, kpis } from '../catalogue.js';
import { disposeAllCharts } from '../charts.js';
import { setStatus } from '../status.js';
import { state, DEFAULT_WINDOW } from '../state.js';
import { applyWindow, clearWindowError } from './window.js';
import { loadTrends } from './trends.js';
import { loadJourney } from './journey.js';
import { revokeObjectUrls } from './downloads.js';

export function initSignIn() {
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
  const { outcome, catalogue } = await checkKey(key);
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
  useCatalogue(catalogue);
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

export function showSignIn({ error = null, notice = null, focus = true } = {}) {
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

/** The catalogue's titles and kinds become the page's until a comparison brings its own. */
function useCatalogue(catalogue) {
  if (!catalogue) return;
  setCatalogue(catalogue);
  for (const [key, k] of kpis()) {
    state.titles.set(key, k.title);
    state.kinds.set(key, k.kind);
  }
  state.catalogued = true;
}

export async function showDashboard({ focus }) {
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  $('masthead-nav').hidden = false;
  $('session').hidden = false;
  clearSignInMessages();

  if (!state.catalogued) {
    // A reload with the key already held: without the catalogue the panels still work, with codes for labels.
    const session = state.session;
    try { useCatalogue(await getJson('api/catalogue')); } catch { /* the panels say what failed */ }
    if (session !== state.session) return;
  }

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
export function endSession(reason) {
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
  disposeAllCharts();
  revokeObjectUrls();
  state.window = null;
  state.comparison = null;
  state.series = null;
  state.catalogued = false;
  setCatalogue(null);
  state.titles.clear();
  state.kinds.clear();
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


onSessionEnded(endSession);
