// CaseFlow dashboard: native ES modules, no build step. Talks only to this service's own API
// (docs/analyst-api.md, ../shared/spec/api.md). Every text from the API goes in through textContent, never as HTML.
// Each panel loads on its own: one endpoint failing shows a message in its panel and leaves the rest working.
// Labels, KPI stages and the roles routes need come from GET /api/catalogue (js/catalogue.js), never a copy here.

import { $ } from './js/dom.js';
import { readKey } from './js/api.js';
import { echarts, charts, reducedMotion } from './js/charts.js';
import { setStatus } from './js/status.js';
import { initWindowPicker } from './js/panels/window.js';
import { initTrends } from './js/panels/trends.js';
import { initJourney } from './js/panels/journey.js';
import { initDownloads } from './js/panels/downloads.js';
import { initSignIn, showSignIn, showDashboard } from './js/panels/session.js';

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
