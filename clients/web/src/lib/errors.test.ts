import { expect, it } from 'vitest';
import { errorsByField } from './errors';

it('puts each payload error at its input field', () => {
  expect(errorsByField([
    { __typename: 'ValidationError', message: 'Too short', path: ['input', 'subject'] },
    { __typename: 'ValidationError', message: 'Not a number', path: ['input', 'size'] },
    { __typename: 'Forbidden', message: 'Not allowed', path: null },
  ])).toEqual({ subject: 'Too short', size: 'Not a number', '': 'Not allowed' });
});
