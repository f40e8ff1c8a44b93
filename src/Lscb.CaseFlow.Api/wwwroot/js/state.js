// What the page holds between panels. Answers for an older window or an ended session are dropped by comparing
// their generation and session with these counters.

export const DEFAULT_WINDOW = { from: '2016-04-01', to: '2016-06-30' }; // Q1 2016-17: the demo data's story
export const DEFAULT_TRENDS = ['referrals', 'reReferralRate', 'contactsToAssessmentOrS47Rate', 's47ToIcpcRate', 'childrenOnPlan', 'plansOver18MonthsRate'];

export const state = {
  window: null,
  comparison: null,
  series: null,
  generation: 0, // answers for an older window are dropped
  titles: new Map(), // from the catalogue, then from each comparison
  kinds: new Map(),
  selected: new Set(DEFAULT_TRENDS),
  session: 0, // answers for a session that has ended are dropped
  catalogued: false,
};
