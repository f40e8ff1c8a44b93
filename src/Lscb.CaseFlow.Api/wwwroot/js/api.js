import { rolesFor } from './catalogue.js';

// The API key: kept in this tab's sessionStorage only (never localStorage, a cookie or a URL) and sent as
// "Authorization: Bearer" on every call. A 401 anywhere ends the session and returns to the sign-in form.

export const KEY_ITEM = 'caseflow.apiKey';
let memoryKey = null; // only when the browser refuses sessionStorage: then the key lasts until the page is left

export function readKey() {
  try { return sessionStorage.getItem(KEY_ITEM) ?? memoryKey; } catch { return memoryKey; }
}
export function storeKey(key) {
  try { sessionStorage.setItem(KEY_ITEM, key); memoryKey = null; } catch { memoryKey = key; }
}
export function forgetKey() {
  memoryKey = null;
  try { sessionStorage.removeItem(KEY_ITEM); } catch { /* nothing was stored */ }
}

/** The role a 403 was missing, from the catalogue's list of routes ("the admin or analyst role"). */
function roleFor(path) {
  const roles = rolesFor('GET', path);
  return roles?.length ? roles.join(' or ') : 'required';
}

/** What to do when the key is refused or gone: set by the session, which owns the page. */
let sessionEnded = () => {};
export function onSessionEnded(handler) { sessionEnded = handler; }

export class ApiError extends Error {
  constructor(status, message, role = null) { super(message); this.status = status; this.role = role; }
}

export function withQuery(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== ''));
  return query.size ? `${path}?${query}` : path;
}

/** A request with the key. A 401 signs out (once, whichever panel saw it first); any other non-2xx answer becomes
 *  an ApiError with the problem details' words, a 403 with the role that was missing. */
export async function apiFetch(path, params = {}, accept = 'application/json') {
  const key = readKey();
  if (!key) {
    sessionEnded('expired');
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
    if (readKey() === key) sessionEnded('rejected');
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
export async function getJson(path, params = {}) {
  const response = await apiFetch(path, params);
  try {
    return await response.json();
  } catch {
    throw new ApiError(response.status, 'The service sent an answer that could not be read.');
  }
}

/** Whether the service knows a key, before anything is shown, and the catalogue it answers with. Any valid key may
 *  read the catalogue; a 429 or a 5xx says nothing about the key. */
export async function checkKey(key) {
  let response;
  try {
    response = await fetch('api/catalogue', {
      headers: { Accept: 'application/json', Authorization: `Bearer ${key}` }, cache: 'no-store', credentials: 'omit',
    });
  } catch {
    return { outcome: 'unreachable' };
  }
  if (response.ok) {
    try { return { outcome: 'accepted', catalogue: await response.json() }; } catch { return { outcome: 'accepted', catalogue: null }; }
  }
  if (response.status === 401) return { outcome: 'rejected' };
  return { outcome: response.status === 429 ? 'busy' : `failed:${response.status}` };
}
