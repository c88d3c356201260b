import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { ErrorNote, Loading } from '../../components/Status';
import type { InteractionKind } from '../../gql/graphql';
import { errorsByField } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { fatalError } from '../../lib/hidden';
import { useSession } from '../../lib/session';
import { InteractionLogMutation, TimelineQuery } from './documents';

const LOGGABLE: InteractionKind[] = ['CALL', 'EMAIL', 'MEETING', 'NOTE'];

export function LogInteraction({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const [, log] = useMutation(InteractionLogMutation);
  const [kind, setKind] = useState<InteractionKind>('CALL');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [minutes, setMinutes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const result = await log({
      input: {
        kind,
        subject,
        body: body || null,
        durationMinutes: minutes ? Number(minutes) : null,
        organizationId,
      },
    });
    const payloadErrors = result.data?.interactionLog.errors ?? [];
    if (result.error) setErrors({ '': result.error.message });
    else if (payloadErrors.length) setErrors(errorsByField(payloadErrors));
    else {
      setErrors({});
      setSubject('');
      setBody('');
      setMinutes('');
      setDone(true);
    }
  };

  const fieldError = (name: string) => errors[name] && <span className="field-error" role="alert">{errors[name]}</span>;
  return (
    <form className="stack" onSubmit={submit} aria-label={t('customer.log')}>
      <h3>{t('customer.log')}</h3>
      <label className="inline">
        <span>{t('customer.kind')}</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as InteractionKind)}>
          {LOGGABLE.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
        </select>
      </label>
      <label className="stack">
        <span>{t('customer.subject')}</span>
        <input value={subject} onChange={(e) => setSubject(e.target.value)} aria-invalid={errors.subject ? true : undefined} />
        {fieldError('subject')}
      </label>
      <label className="stack">
        <span>{t('customer.body')}</span>
        <textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        {fieldError('body')}
      </label>
      {kind !== 'NOTE' && (
        <label className="inline">
          <span>{t('customer.duration')}</span>
          <input type="number" min={0} value={minutes} onChange={(e) => setMinutes(e.target.value)} style={{ width: '6em' }} />
          {fieldError('durationMinutes')}
        </label>
      )}
      {fieldError('')}
      <button type="submit" className="primary">{t('customer.logIt')}</button>
      {done && <p role="status" className="muted">{t('customer.logged')}</p>}
    </form>
  );
}

/** The organization's interactions, newest first; scrolling to the end loads older ones. */
export function Timeline({ organizationId }: { organizationId: string }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useSession();
  const [after, setAfter] = useState<string | null>(null);
  const [result] = useQuery({ query: TimelineQuery, variables: { id: organizationId, after } });
  const end = useRef<HTMLLIElement>(null);
  const node = result.data?.node;
  const connection = node && 'interactions' in node ? node.interactions : null;

  useEffect(() => {
    const sentinel = end.current;
    if (!sentinel || !connection?.pageInfo.hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && connection.pageInfo.endCursor) setAfter(connection.pageInfo.endCursor);
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [connection]);

  const problem = fatalError(result.error);
  if (problem) return <ErrorNote message={problem} />;
  if (!connection) return <Loading />;
  return (
    <ul className="timeline" data-testid="timeline">
      {connection.edges.map(({ node: item }) => (
        <li key={item.id} data-testid="timeline-item">
          <strong>{t(`kinds.${item.kind}`)}</strong> · <span className="muted">{formatDateTime(item.occurredAt, i18n.language, timeZone)}</span>
          {item.owner && <span className="muted"> · {item.owner.name}</span>}
          <div>{item.subject}</div>
          {item.body && <div className="muted">{item.body}</div>}
        </li>
      ))}
      <li ref={end} className="muted">
        {connection.pageInfo.hasNextPage ? (result.fetching ? t('common.loading') : '') : t('customer.endOfTimeline')}
      </li>
    </ul>
  );
}
