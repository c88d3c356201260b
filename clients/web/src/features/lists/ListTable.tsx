import { useTranslation } from 'react-i18next';
import { useHiddenFields } from '../../lib/hidden';
import { Link } from '../../lib/router';
import { download, toCsv } from './csv';

export interface Column<Row> {
  key: string;
  text: (row: Row) => string;
  /** The GraphQL field behind it, when a role may be forbidden to read it. */
  guarded?: string;
  link?: (row: Row) => string | null;
}

interface Props<Row> {
  kind: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  total: number;
  hasMore: boolean;
  onMore: () => void;
}

export function ListTable<Row extends { id: string }>({ kind, columns, rows, total, hasMore, onMore }: Props<Row>) {
  const { t } = useTranslation();
  const hidden = useHiddenFields();
  const shown = (row: Row, column: Column<Row>) => {
    const text = column.text(row);
    return text === '' && column.guarded && hidden.has(column.guarded) ? t('common.hidden') : text;
  };
  const headers = columns.map((c) => t(`lists.fields.${c.key}`));
  const exportCsv = () => download(`${kind}.csv`, toCsv(headers, rows.map((row) => columns.map((c) => shown(row, c)))));

  return (
    <>
      <div className="toolbar">
        <span className="muted" data-testid="shown" data-shown={rows.length} data-total={total}>
          {t('lists.shown', { shown: rows.length, total })}
        </span>
        <button type="button" onClick={exportCsv}>{t('lists.csv')}</button>
      </div>
      <div className="table-wrap">
        <table className="list">
          <thead>
            <tr>{headers.map((h) => <th key={h} scope="col">{h}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="row">
                {columns.map((column) => {
                  const text = shown(row, column);
                  const to = column.link?.(row);
                  const isHidden = column.guarded && hidden.has(column.guarded) && column.text(row) === '';
                  return (
                    <td key={column.key} className={isHidden ? 'hidden-field' : undefined}>
                      {to ? <Link to={to}>{text}</Link> : text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p className="muted">{t('common.noResults')}</p>}
      {hasMore && <button type="button" onClick={onMore}>{t('common.more')}</button>}
    </>
  );
}
