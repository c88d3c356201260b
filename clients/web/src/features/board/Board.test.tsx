import { render, screen } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { FieldValue } from '../../components/Field';
import type { BoardCardFragment } from '../../gql/graphql';
import i18n from '../../lib/i18n';
import { noteForbidden, resetForbidden } from '../../lib/hidden';
import { ColumnTotal, groupByStage, matches } from './Board';

function card(id: string, stage: string, amount: string | null, currency = 'USD'): BoardCardFragment {
  return {
    id, name: `Deal ${id}`, amount, currency, version: 1, status: 'OPEN',
    expectedCloseDate: null, stage: { id: stage, name: stage }, pipeline: { id: 'p1' }, owner: null, organization: null,
  };
}

describe('the pipeline board', () => {
  const stages = [{ id: 's1', name: 'Qualification' }, { id: 's2', name: 'Proposal' }];

  it('puts each card in the column of the stage it is in now', () => {
    const cards = [card('a', 's1', '10'), card('b', 's2', '20')];
    expect([...groupByStage(cards, stages)].map(([stage, list]) => [stage, list.map((c) => c.id)])).toEqual([['s1', ['a']], ['s2', ['b']]]);
    // A live move changes the card's stage in the cache: the card changes column.
    const moved = [{ ...cards[0], stage: { id: 's2', name: 'Proposal' } }, cards[1]];
    expect(groupByStage(moved, stages).get('s2')?.map((c) => c.id)).toEqual(['b', 'a']); // biggest first
  });

  it('adds a card created elsewhere only when it fits the filters shown', () => {
    const fresh = { ...card('n', 's1', '5'), owner: { id: 'u1', name: 'Rachel' }, expectedCloseDate: '2026-06-30' };
    expect(matches(fresh, { pipeline: ['p1'] })).toBe(true);
    expect(matches(fresh, { pipeline: ['p2'] })).toBe(false);
    expect(matches(fresh, { pipeline: ['p1'], owner: ['u2'] })).toBe(false);
    expect(matches(fresh, { expectedCloseDate: { from: '2026-07-01', to: null } })).toBe(false);
    expect(matches(fresh, { expectedCloseDate: { from: '2026-06-01', to: '2026-06-30' } })).toBe(true);
  });

  it('totals a column per currency, in the reader\'s language', async () => {
    await act(() => i18n.changeLanguage('en'));
    const { rerender } = render(<ColumnTotal cards={[card('a', 's1', '1000'), card('b', 's1', '500'), card('c', 's1', '200', 'EUR')]} />);
    expect(screen.getByTestId('column-total').textContent).toBe('3 deals · $1,500 + €200');
    await act(() => i18n.changeLanguage('zh-CN'));
    rerender(<ColumnTotal cards={[card('a', 's1', '1000')]} />);
    expect(screen.getByTestId('column-total').textContent).toBe('1 个商机 · US$1,000');
    await act(() => i18n.changeLanguage('en'));
  });
});

describe('a field the role may not read', () => {
  it('reads "Hidden" once the server said it is forbidden, and a dash when merely empty', () => {
    resetForbidden();
    render(<FieldValue name="amount" value={null} />);
    expect(screen.getByText('—')).toBeTruthy();
    act(() => noteForbidden([['opportunities', 'edges', 0, 'node', 'amount']]));
    expect(screen.getByText('Hidden').getAttribute('data-hidden')).toBe('amount');
  });
});
