// English strings; zh-CN.ts must have the same keys (its type is this one's).
const en = {
  app: { title: 'crm-graph', skip: 'Skip to content', signOut: 'Sign out', language: 'Language', timeZone: 'Time zone', signedInAs: 'Signed in as {{email}} ({{tenant}})' },
  nav: { board: 'Pipeline', leads: 'Leads', lists: 'Lists', graph: 'Graph', dashboards: 'Dashboards', explorer: 'API explorer', organizations: 'Organizations', contacts: 'Contacts', opportunities: 'Opportunities' },
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
    nodes: '{{nodes}} nodes, {{edges}} edges', search: 'Search organizations', layout: 'Laying out…', pick: 'Pick a record',
  },
  lists: {
    search: 'Search', sort: 'Sort', direction: 'Sort direction', asc: 'Ascending', desc: 'Descending', csv: 'Download CSV', saveView: 'Save view', viewName: 'View name', views: 'Saved views',
    deleteView: 'Delete view', filter: 'Filter', shown: '{{shown}} of {{total}} shown', status: 'Status', stage: 'Lifecycle stage',
    fields: { name: 'Name', industry: 'Industry', country: 'Country', size: 'Employees', lifecycleStage: 'Lifecycle stage', owner: 'Owner', updatedAt: 'Updated', email: 'Email', title: 'Title', organization: 'Organization', amount: 'Amount', stage: 'Stage', status: 'Status', expectedCloseDate: 'Expected close' },
    order: { NAME: 'Name', SIZE: 'Size', CREATED_AT: 'Created', UPDATED_AT: 'Updated', AMOUNT: 'Amount', EXPECTED_CLOSE_DATE: 'Expected close' },
  },
  dashboards: { title: 'Dashboards', byStage: 'Open pipeline by stage', wonLost: 'Won and lost by month', activity: 'Activity by rep (last 90 days)', won: 'Won', lost: 'Lost', amount: 'Amount', interactions: 'Interactions', deals: 'Deals' },
  leads: {
    title: 'Leads', new: 'New lead', create: 'Create lead', back: 'All leads', notFound: 'This lead does not exist or is not visible to you.',
    fields: { name: 'Name', firstName: 'First name', lastName: 'Last name', company: 'Company', email: 'Email', emails: 'Emails', phones: 'Phones', title: 'Title', country: 'Country', status: 'Status', source: 'Source', score: 'Score', owner: 'Owner', createdAt: 'Created' },
    order: { SCORE: 'Score', NAME: 'Name', COMPANY: 'Company', CREATED_AT: 'Created', UPDATED_AT: 'Updated' },
    duplicates: 'Possible duplicates', kind: { lead: 'Lead', contact: 'Contact' }, reason: { EMAIL: 'same email', PHONE: 'same phone', NAME: 'similar names' },
    convert: 'Convert', organization: 'Organization', contact: 'Contact', createNewOrganization: 'Create a new organization ({{name}})', createNewContact: 'Create a new contact',
    withOpportunity: 'Also create an opportunity', opportunityName: 'Opportunity name', stage: 'Stage', firstStage: 'First stage',
    convertedTo: 'Converted into', merge: 'Merge', mergeWith: 'Merge into this lead', pickLead: 'Pick a lead', merged: 'Leads merged',
  },
  leadStatus: { NEW: 'New', WORKING: 'Working', NURTURING: 'Nurturing', QUALIFIED: 'Qualified', DISQUALIFIED: 'Disqualified', CONVERTED: 'Converted' },
  leadSource: { WEB_FORM: 'Web form', IMPORT: 'Import', EVENT: 'Event', REFERRAL: 'Referral', CAMPAIGN: 'Campaign', MANUAL: 'Manual' },
  quotes: {
    link: 'Quotes', linkFor: 'Quotes for {{name}}', titleFor: 'Quotes for {{name}}', title: 'Quote {{number}}.{{revision}}', allFor: 'All quotes for {{name}}', new: 'New quote', notFound: 'This quote does not exist or is not visible to you.',
    primary: 'primary', priceBook: 'Price book', lines: 'Lines', addLine: 'Add line', pickProduct: 'Pick a product', fromPriceBook: 'from price book', remove: 'Remove', listPrice: 'list {{price}}',
    totals: 'Totals', subtotal: 'Subtotal', discount: 'Discount', net: 'Net', tax: 'Tax', grandTotal: 'Total', workflow: 'Approval and sending', comment: 'Comment',
    downloadPdf: 'Download PDF', preview: 'Preview', failed: 'The request failed.',
    actions: { submit: 'Submit for approval', approve: 'Approve', reject: 'Reject', send: 'Send', accept: 'Mark accepted' },
    fields: { number: 'Number', name: 'Name', status: 'Status', total: 'Total', validUntil: 'Valid until', product: 'Product', quantity: 'Quantity', unitPrice: 'Unit price', discountPercent: 'Discount %', taxRate: 'Tax %' },
  },
  quoteStatus: { DRAFT: 'Draft', IN_REVIEW: 'In review', APPROVED: 'Approved', SENT: 'Sent', ACCEPTED: 'Accepted', REJECTED: 'Rejected', EXPIRED: 'Expired' },
  approvalStatus: { PENDING: 'Approval pending', APPROVED: 'Approved', REJECTED: 'Rejected', CANCELLED: 'Cancelled' },
  explorer: { title: 'API explorer' },
};
export default en;
export type Strings = typeof en;
