// What the service says about itself (GET /api/catalogue): the KPI stages and titles, the code lists with their
// labels and the roles each route needs. Nothing here is a copy: until the catalogue arrives, codes show as
// themselves and measures under one heading.

const catalogue = { groups: [], lists: new Map(), endpoints: [] };

/** Keeps the catalogue; an answer without one of its parts leaves that part empty. */
export function setCatalogue(data) {
  catalogue.groups = Array.isArray(data?.groups) ? data.groups : [];
  catalogue.lists = new Map((data?.codeLists ?? []).map(list =>
    [list.name, new Map((list.codes ?? []).map(c => [c.value, c.label]))]));
  catalogue.endpoints = (data?.endpoints ?? []).map(e => ({ ...e, pattern: patternOf(e.path) }));
}

/** The stages in pathway order: { id, heading, question, kpis: [{ key, title, summary, kind }] }. */
export const groups = () => catalogue.groups;

/** Every KPI the catalogue lists, by key. */
export const kpis = () => new Map(catalogue.groups.flatMap(g => (g.kpis ?? []).map(k => [k.key, { ...k, group: g.id }])));

/** A code's label in one of the contract's lists, or null when the list does not hold it. */
export const labelOf = (list, code) => catalogue.lists.get(list)?.get(code) ?? null;

/** The roles that may call a route (any one of them), or null when the catalogue does not know it. */
export function rolesFor(method, path) {
  const url = `/${path.replace(/^\/+/, '').split('?')[0]}`;
  const endpoint = catalogue.endpoints.find(e => e.method === method && e.pattern.test(url));
  return endpoint ? endpoint.roles ?? [] : null;
}

/** "/api/children/{childId}/journey" as a pattern matching one path segment per parameter. */
function patternOf(path) {
  const parts = String(path ?? '').split(/\{[^}]+\}/).map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}
