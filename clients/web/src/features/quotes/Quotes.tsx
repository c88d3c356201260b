import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation, useQuery } from 'urql';
import { FieldValue } from '../../components/Field';
import { ErrorNote, Loading } from '../../components/Status';
import type { QuoteEditorFragment } from '../../gql/graphql';
import { errorsByField, type PayloadError } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { fatalError } from '../../lib/hidden';
import { Link, navigate } from '../../lib/router';
import {
  QuoteAcceptMutation, QuoteApproveMutation, QuoteCreateMutation, QuoteDocumentQuery, QuoteLineAddMutation,
  QuoteLineRemoveMutation, QuoteLineUpdateMutation, QuoteListQuery, QuoteQuery, QuoteRejectMutation, QuoteSendMutation,
  QuoteSubmitMutation,
} from './documents';
import { pdfBlob, quoteActions, saveBlob, type QuoteAction } from './download';

/** An exact decimal string from the API, shown in the locale with its currency (no arithmetic). */
export function formatAmount(amount: string | null | undefined, currency: string, locale: string): string {
  if (amount == null) return '';
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount));
}

export function formatPercent(value: string | null | undefined, locale: string): string {
  if (value == null) return '';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(Number(value)) + '%';
}

function firstError(errors: readonly PayloadError[], fallback?: string): string | null {
  if (!errors.length) return fallback ?? null;
  return Object.values(errorsByField(errors)).join('; ');
}

/** The quotes of one opportunity, and a button that starts a new one. */
export function QuoteList({ opportunityId }: { opportunityId: string }) {
  const { t, i18n } = useTranslation();
  const [result] = useQuery({ query: QuoteListQuery, variables: { opportunityId } });
  const [, create] = useMutation(QuoteCreateMutation);
  const [error, setError] = useState<string | null>(null);
  const problem = fatalError(result.error);
  if (problem) return <ErrorNote message={problem} />;
  if (!result.data) return <Loading />;
  const opp = result.data.node;
  if (!opp || opp.__typename !== 'Opportunity') return <p>{t('quotes.notFound')}</p>;
  const start = async () => {
    const created = await create({ input: { opportunityId } });
    const quote = created.data?.quoteCreate.quote;
    if (!quote) {
      setError(firstError(created.data?.quoteCreate.errors ?? [], created.error?.message) ?? '');
      return;
    }
    navigate(`/quotes/${encodeURIComponent(quote.id)}`);
  };
  return (
    <article>
      <div className="toolbar">
        <h1>{t('quotes.titleFor', { name: opp.name })}</h1>
        {opp.organization && <Link to={`/organizations/${encodeURIComponent(opp.organization.id)}`}>{opp.organization.name}</Link>}
        <button type="button" onClick={start}>{t('quotes.new')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <table data-testid="quote-list">
        <thead><tr>{(['number', 'name', 'status', 'total', 'validUntil'] as const).map((c) => <th key={c} scope="col">{t(`quotes.fields.${c}`)}</th>)}</tr></thead>
        <tbody>
          {result.data.quotes.edges.map(({ node: q }) => (
            <tr key={q.id}>
              <td><Link to={`/quotes/${encodeURIComponent(q.id)}`}>{q.number}.{q.revision}</Link>{q.isPrimary && <span className="muted"> · {t('quotes.primary')}</span>}</td>
              <td>{q.name}</td>
              <td>{t(`quoteStatus.${q.status}`)}</td>
              <td className="num">{formatAmount(q.grandTotal, q.currency, i18n.language)}</td>
              <td>{formatDate(q.validUntil, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!result.data.quotes.edges.length && <p className="muted">{t('common.noResults')}</p>}
    </article>
  );
}

type Line = QuoteEditorFragment['lines']['edges'][number]['node'];

/** One line; quantity, price, discount and tax edit in place and the API recomputes the totals. */
function LineRow({ line, currency, editable, onError }: { line: Line; currency: string; editable: boolean; onError: (m: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const [, update] = useMutation(QuoteLineUpdateMutation);
  const [, remove] = useMutation(QuoteLineRemoveMutation);
  const change = async (field: 'quantity' | 'unitPrice' | 'discountPercent' | 'taxRate', value: string) => {
    if (value.trim() === '' || value === line[field]) return;
    const result = await update({ input: { id: line.id, expectedVersion: line.version, [field]: value.trim() } });
    onError(firstError(result.data?.quoteLineUpdate.errors ?? [], result.error?.message));
  };
  const cell = (field: 'quantity' | 'unitPrice' | 'discountPercent' | 'taxRate') => (
    editable ? (
      <input key={`${line.id}-${line.version}`} aria-label={`${t(`quotes.fields.${field}`)} ${line.position + 1}`} defaultValue={line[field] ?? ''} inputMode="decimal" size={8}
        onBlur={(e) => void change(field, e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') e.currentTarget.blur(); }} />
    ) : field === 'unitPrice' ? formatAmount(line.unitPrice, currency, i18n.language)
      : field === 'quantity' ? line.quantity : <FieldValue name={field} value={formatPercent(line[field], i18n.language)} />
  );
  return (
    <tr data-testid="quote-line">
      <td>{line.product ? `${line.product.sku} · ${line.product.name}` : line.description}</td>
      <td className="num">{cell('quantity')}</td>
      <td className="num">{cell('unitPrice')}{line.priceOverridden && line.listPrice && <div className="muted">{t('quotes.listPrice', { price: formatAmount(line.listPrice, currency, i18n.language) })}</div>}</td>
      <td className="num">{cell('discountPercent')}</td>
      <td className="num">{cell('taxRate')}</td>
      <td className="num">{formatAmount(line.total, currency, i18n.language)}</td>
      <td>{editable && (
        <button type="button" className="link" onClick={async () => {
          const result = await remove({ input: { id: line.id, expectedVersion: line.version } });
          onError(firstError(result.data?.quoteLineRemove.errors ?? [], result.error?.message));
        }}>{t('quotes.remove')}</button>
      )}</td>
    </tr>
  );
}

export function QuoteEditor({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [result] = useQuery({ query: QuoteQuery, variables: { id } });
  const [, addLine] = useMutation(QuoteLineAddMutation);
  const [, submit] = useMutation(QuoteSubmitMutation);
  const [, approve] = useMutation(QuoteApproveMutation);
  const [, reject] = useMutation(QuoteRejectMutation);
  const [, send] = useMutation(QuoteSendMutation);
  const [, accept] = useMutation(QuoteAcceptMutation);
  const [error, setError] = useState<string | null>(null);
  const [addErrors, setAddErrors] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [preview, setPreview] = useState<string | null>(null);
  const problem = fatalError(result.error);
  if (problem) return <ErrorNote message={problem} />;
  if (!result.data) return <Loading />;
  const quote = result.data.node;
  if (!quote || quote.__typename !== 'Quote') return <p>{t('quotes.notFound')}</p>;
  const roles = result.data.viewer?.roles ?? [];
  const canApprove = roles.includes('sales_manager') || roles.includes('admin');
  const editable = quote.status === 'DRAFT';
  const products = result.data.products.edges.map((e) => e.node);
  const money = (amount: string | null | undefined) => formatAmount(amount, quote.currency, i18n.language);

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const target = event.currentTarget;
    const result = await addLine({
      input: {
        quoteId: quote.id,
        productId: text('productId'),
        quantity: text('quantity') || '1',
        unitPrice: text('unitPrice') || null,
        discountPercent: text('discountPercent') || '0',
        taxRate: text('taxRate') || '0',
      },
    });
    const errors = result.data?.quoteLineAdd.errors ?? [];
    if (result.error || errors.length) {
      setAddErrors(errors.length ? errorsByField(errors) : { '': result.error?.message ?? '' });
      return;
    }
    setAddErrors({});
    target.reset();
  };

  const act = async (action: QuoteAction) => {
    const base = { id: quote.id, expectedVersion: quote.version };
    const run = {
      submit: async () => (await submit({ input: base })).data?.quoteSubmit,
      approve: async () => (await approve({ input: { ...base, comment: comment || null } })).data?.quoteApprove,
      reject: async () => (await reject({ input: { ...base, comment: comment || null } })).data?.quoteReject,
      send: async () => (await send({ input: base })).data?.quoteSend,
      accept: async () => (await accept({ input: base })).data?.quoteAccept,
    }[action];
    const payload = await run();
    setError(payload ? firstError(payload.errors) : t('quotes.failed'));
    if (payload && !payload.errors.length) setComment('');
  };

  const fetchDocument = async () => {
    const doc = await client.query(QuoteDocumentQuery, { id: quote.id }, { requestPolicy: 'network-only' }).toPromise();
    const value = doc.data?.quoteDocument;
    if (!value) setError(doc.error?.message ?? t('quotes.failed'));
    return value ?? null;
  };
  const download = async () => {
    const doc = await fetchDocument();
    if (doc) saveBlob(pdfBlob(doc.pdfBase64, doc.contentType), doc.filename);
  };
  const showPreview = async () => {
    const doc = await fetchDocument();
    if (doc) setPreview(doc.html);
  };
  const actions = quoteActions(quote.status, canApprove);
  const pending = quote.approvalRequests.edges.map((e) => e.node);

  return (
    <article>
      <div className="toolbar">
        <h1>{t('quotes.title', { number: quote.number, revision: quote.revision })} · {quote.name}</h1>
        <span data-testid="quote-status">{t(`quoteStatus.${quote.status}`)}</span>
        {quote.opportunity && <Link to={`/opportunities/${encodeURIComponent(quote.opportunity.id)}/quotes`}>{t('quotes.allFor', { name: quote.opportunity.name })}</Link>}
      </div>
      <p className="muted">
        {t('quotes.fields.validUntil')}: {formatDate(quote.validUntil, i18n.language)}
        {quote.priceBook && <> · {t('quotes.priceBook')}: {quote.priceBook.name}</>}
      </p>
      <section className="panel" aria-labelledby="lines">
        <h2 id="lines">{t('quotes.lines')}</h2>
        <table>
          <thead>
            <tr>{(['product', 'quantity', 'unitPrice', 'discountPercent', 'taxRate', 'total'] as const).map((c) => <th key={c} scope="col">{t(`quotes.fields.${c}`)}</th>)}<th /></tr>
          </thead>
          <tbody>
            {quote.lines.edges.map(({ node: line }) => <LineRow key={line.id} line={line} currency={quote.currency} editable={editable} onError={setError} />)}
          </tbody>
        </table>
        {editable && (
          <form aria-label={t('quotes.addLine')} className="inline" onSubmit={add}>
            <label className="inline"><span>{t('quotes.fields.product')}</span>
              <select name="productId" required>
                <option value="">{t('quotes.pickProduct')}</option>
                {products.map((p) => <option key={p.id} value={p.id}>{p.sku} · {p.name}</option>)}
              </select>
            </label>
            <label className="inline"><span>{t('quotes.fields.quantity')}</span><input name="quantity" defaultValue="1" inputMode="decimal" size={6} /></label>
            <label className="inline"><span>{t('quotes.fields.unitPrice')}</span><input name="unitPrice" placeholder={t('quotes.fromPriceBook')} inputMode="decimal" size={10} /></label>
            <label className="inline"><span>{t('quotes.fields.discountPercent')}</span><input name="discountPercent" defaultValue="0" inputMode="decimal" size={5} /></label>
            <label className="inline"><span>{t('quotes.fields.taxRate')}</span><input name="taxRate" defaultValue="0" inputMode="decimal" size={5} /></label>
            <button type="submit">{t('quotes.addLine')}</button>
            {Object.values(addErrors).length > 0 && <span className="field-error" role="alert">{Object.values(addErrors).join('; ')}</span>}
          </form>
        )}
      </section>
      <section className="panel" aria-labelledby="totals">
        <h2 id="totals">{t('quotes.totals')}</h2>
        <dl className="details" data-testid="quote-totals">
          <dt>{t('quotes.subtotal')}</dt><dd data-total="subtotal">{money(quote.subtotal)}</dd>
          <dt>{t('quotes.discount')}</dt><dd data-total="discount"><FieldValue name="discountTotal" value={money(quote.discountTotal)} /></dd>
          <dt>{t('quotes.net')}</dt><dd data-total="net">{money(quote.netTotal)}</dd>
          <dt>{t('quotes.tax')}</dt><dd data-total="tax">{money(quote.taxTotal)}</dd>
          <dt>{t('quotes.grandTotal')}</dt><dd data-total="grand"><strong>{money(quote.grandTotal)}</strong></dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="workflow">
        <h2 id="workflow">{t('quotes.workflow')}</h2>
        {pending.map((a) => (
          <p key={a.id} className="muted" data-testid="approval">{t(`approvalStatus.${a.status}`)} · {a.reason}{a.comment && ` · ${a.comment}`}</p>
        ))}
        {(actions.includes('approve') || actions.includes('reject')) && (
          <label className="inline"><span>{t('quotes.comment')}</span><input value={comment} onChange={(e) => setComment(e.target.value)} /></label>
        )}
        <div className="inline">
          {actions.map((a) => <button key={a} type="button" onClick={() => void act(a)}>{t(`quotes.actions.${a}`)}</button>)}
          <button type="button" onClick={() => void download()}>{t('quotes.downloadPdf')}</button>
          <button type="button" onClick={() => void showPreview()}>{t('quotes.preview')}</button>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
      </section>
      {preview !== null && (
        <section className="panel" aria-labelledby="preview">
          <h2 id="preview">{t('quotes.preview')}</h2>
          <button type="button" onClick={() => setPreview(null)}>{t('common.close')}</button>
          <iframe title={t('quotes.preview')} sandbox="" srcDoc={preview} style={{ width: '100%', height: '32rem', border: 0 }} />
        </section>
      )}
    </article>
  );
}
