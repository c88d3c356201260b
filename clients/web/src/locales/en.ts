// English strings; zh-CN.ts must have the same keys (its type is this one's).
const en = {
  app: { title: 'crm-graph', skip: 'Skip to content', signOut: 'Sign out', language: 'Language', timeZone: 'Time zone', signedInAs: 'Signed in as {{email}} ({{tenant}})' },
  nav: { board: 'Pipeline', lists: 'Lists', graph: 'Graph', dashboards: 'Dashboards', explorer: 'API explorer', organizations: 'Organizations', contacts: 'Contacts', opportunities: 'Opportunities' },
  signIn: {
    title: 'Sign in to crm-graph', demoUsers: 'Demo users', pick: 'Act as', go: 'Sign in', oidc: 'Sign in with your identity provider',
    none: 'No way to sign in is configured: set CRM_DEV_LOGIN=true or CRM_OIDC_*.', failed: 'Sign-in failed: {{message}}', working: 'Signing in…',
  },
  common: { loading: 'Loading…', error: 'Something went wrong: {{message}}', hidden: 'Hidden', none: '—', save: 'Save', cancel: 'Cancel', edit: 'Edit', more: 'Load more', retry: 'Retry', all: 'All', close: 'Close', noResults: 'Nothing here.', forbidden: 'You may not see this.' },
  board: {
    title: 'Pipeline', pipeline: 'Pipeline', owner: 'Owner', anyOwner: 'Anyone', closeFrom: 'Closes from', closeTo: 'Closes by',
    deals_one: '{{count}} deal', deals_other: '{{count}} deals', moveTo: 'Move {{name}} to stage', moved: '{{name}} moved to {{stage}}',
    conflict: '{{name}} was changed by someone else (now version {{version}}, in stage {{stage}}). Your move was not applied.',
    live: 'Live', offline: 'Reconnecting…', empty: 'No opportunities', failed: 'Could not move {{name}}: {{message}}',
  },
  customer: {
    details: 'Details', contacts: 'Contacts', opportunities: 'Opportunities', timeline: 'Timeline', tasks: 'Tasks', relationships: 'Relationships',
    name: 'Name', industry: 'Industry', region: 'Region', country: 'Country', website: 'Website', size: 'Employees', lifecycleStage: 'Lifecycle stage', owner: 'Owner', tags: 'Tags', kinds: 'Kinds',
    log: 'Log an interaction', kind: 'Kind', subject: 'Subject', body: 'Notes', duration: 'Minutes', logged: 'Interaction logged', logIt: 'Log',
    due: 'Due {{date}}', noDue: 'No due date', saved: 'Saved', showGraph: 'Show in graph', endOfTimeline: 'The beginning of the story.',
    notFound: 'This organization does not exist or is not visible to you.',
  },
  kinds: { CALL: 'Call', EMAIL: 'Email', MEETING: 'Meeting', NOTE: 'Note', CHAT: 'Chat', SOCIAL: 'Social', VISIT: 'Visit' },
  status: { OPEN: 'Open', WON: 'Won', LOST: 'Lost', IN_PROGRESS: 'In progress', DONE: 'Done', CANCELLED: 'Cancelled' },
  orgKinds: { CUSTOMER: 'Customer', PROSPECT: 'Prospect', PARTNER: 'Partner', COMPETITOR: 'Competitor', SUPPLIER: 'Supplier' },
  lifecycle: { LEAD: 'Lead', PROSPECT: 'Prospect', NEW: 'New', ACTIVE: 'Active', LOYAL: 'Loyal', CHURNED: 'Churned' },
  graph: {
    title: 'Relationship graph', depth: 'Depth', kinds: 'Edge kinds', focus: 'Centre on', expand: 'Click a node to expand it.',
    from: 'From', to: 'To', findPath: 'Find a warm introduction', noPath: 'No path within 4 hops.', path: 'Path: {{steps}}',
    partial: 'drawing {{shown}} of {{total}} records',
    relayout: 'Lay out again',
    nodes: '{{nodes}} nodes, {{edges}} edges', search: 'Search organizations', layout: 'Laying out…', pick: 'Pick a record',
  },
  lists: {
    search: 'Search', sort: 'Sort', direction: 'Sort direction', asc: 'Ascending', desc: 'Descending', csv: 'Download CSV', saveView: 'Save view', viewName: 'View name', views: 'Saved views',
    deleteView: 'Delete view', filter: 'Filter', shown: '{{shown}} of {{total}} shown', status: 'Status', stage: 'Lifecycle stage',
    fields: { name: 'Name', industry: 'Industry', country: 'Country', size: 'Employees', lifecycleStage: 'Lifecycle stage', owner: 'Owner', updatedAt: 'Updated', email: 'Email', title: 'Title', organization: 'Organization', amount: 'Amount', stage: 'Stage', status: 'Status', expectedCloseDate: 'Expected close' },
    order: { NAME: 'Name', SIZE: 'Size', CREATED_AT: 'Created', UPDATED_AT: 'Updated', AMOUNT: 'Amount', EXPECTED_CLOSE_DATE: 'Expected close' },
  },
  dashboards: { title: 'Dashboards', byStage: 'Open pipeline by stage', wonLost: 'Won and lost by month', activity: 'Activity by rep (last 90 days)', won: 'Won', lost: 'Lost', amount: 'Amount', interactions: 'Interactions', deals: 'Deals' },
  explorer: { title: 'API explorer' },
};
export default en;
export type Strings = typeof en;
