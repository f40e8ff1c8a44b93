import { $, el } from '../dom.js';
import { KEY_ITEM, apiFetch } from '../api.js';
import { setStatus, showFailure } from '../status.js';
import { state } from '../state.js';

// The board report and the CSV files. A new tab or a download cannot send the key in a header, so each is fetched
// with the key and handed over as a Blob (object URL).

const objectUrls = new Set();

export function initDownloads() {
  for (const id of ['board-report-link', 'comparison-csv-link', 'series-csv-link']) {
    $(id).addEventListener('click', event => fetchAndHandOver(event.currentTarget));
  }
  window.addEventListener('pagehide', revokeObjectUrls);
}

export function revokeObjectUrls() {
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

