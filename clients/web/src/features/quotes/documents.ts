import { graphql } from '../../gql';

export const QuoteListQuery = graphql(`
  query QuoteList($opportunityId: ID!) {
    node(id: $opportunityId) {
      __typename
      ... on Opportunity { id name currency organization { id name } }
    }
    quotes(first: 50, filter: { opportunity: [$opportunityId] }, orderBy: { field: CREATED_AT, direction: DESC }) {
      edges { node { id number revision name status currency grandTotal validUntil isPrimary } }
    }
  }
`);

export const QuoteEditorFragment = graphql(`
  fragment QuoteEditor on Quote {
    id
    version
    number
    revision
    name
    status
    currency
    validUntil
    subtotal
    discountTotal
    netTotal
    taxTotal
    grandTotal
    maxDiscountPercent
    opportunity { id name organization { id name } }
    priceBook { id name }
    lines(first: 100, orderBy: { field: POSITION }) {
      edges {
        node {
          id version position description quantity listPrice unitPrice priceOverridden
          discountPercent taxRate netAmount taxAmount total
          product { id sku name }
        }
      }
    }
    approvalRequests(first: 10) { edges { node { id status reason comment } } }
  }
`);

export const QuoteQuery = graphql(`
  query Quote($id: ID!) {
    node(id: $id) { __typename ... on Quote { ...QuoteEditor } }
    viewer { id roles }
    products(first: 100, filter: { active: [true] }, orderBy: { field: NAME }) {
      edges { node { id sku name prices(first: 10) { edges { node { listPrice priceBook { id currency isDefault } } } } } }
    }
  }
`);

export const QuoteDocumentQuery = graphql(`
  query QuoteDocument($id: ID!) {
    quoteDocument(id: $id) { html pdfBase64 filename contentType templateError }
  }
`);

export const QuoteCreateMutation = graphql(`
  mutation QuoteCreate($input: QuoteCreateInput!) {
    quoteCreate(input: $input) { quote { id } errors { __typename message path } }
  }
`);

export const QuoteLineAddMutation = graphql(`
  mutation QuoteLineAdd($input: QuoteLineAddInput!) {
    quoteLineAdd(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }
  }
`);

export const QuoteLineUpdateMutation = graphql(`
  mutation QuoteLineUpdate($input: QuoteLineUpdateInput!) {
    quoteLineUpdate(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }
  }
`);

export const QuoteLineRemoveMutation = graphql(`
  mutation QuoteLineRemove($input: QuoteLineRemoveInput!) {
    quoteLineRemove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }
  }
`);

export const QuoteSubmitMutation = graphql(`
  mutation QuoteSubmit($input: QuoteActionInput!) {
    quoteSubmit(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }
  }
`);

export const QuoteApproveMutation = graphql(`
  mutation QuoteApprove($input: QuoteDecisionInput!) {
    quoteApprove(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }
  }
`);

export const QuoteRejectMutation = graphql(`
  mutation QuoteReject($input: QuoteDecisionInput!) {
    quoteReject(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }
  }
`);

export const QuoteSendMutation = graphql(`
  mutation QuoteSend($input: QuoteActionInput!) {
    quoteSend(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }
  }
`);

export const QuoteAcceptMutation = graphql(`
  mutation QuoteAccept($input: QuoteActionInput!) {
    quoteAccept(input: $input) { quote { ...QuoteEditor } errors { __typename message path } }
  }
`);
