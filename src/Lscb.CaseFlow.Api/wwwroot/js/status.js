import { $, el } from './dom.js';

// Panel state: loading / ready / error, announced through each panel's polite live region.

export function setStatus(panelId, statusId, state, message = '') {
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
export function showFailure(panelId, statusId, error, { title, needs }) {
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

