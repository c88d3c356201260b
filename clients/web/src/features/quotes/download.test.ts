import { describe, expect, it } from 'vitest';
import { base64ToBytes, pdfBlob, quoteActions } from './download';

describe('quote document download', () => {
  it('decodes base64 to the exact bytes', () => {
    const bytes = base64ToBytes(btoa('%PDF-1.7\n\u00ff'));
    expect(Array.from(bytes.slice(0, 5))).toEqual([0x25, 0x50, 0x44, 0x46, 0x2d]);
    expect(bytes[bytes.length - 1]).toBe(0xff);
    expect(bytes.length).toBe(10);
  });

  it('makes a PDF blob of that size and type', async () => {
    const blob = pdfBlob(btoa('%PDF-1.4 x'));
    expect(blob.type).toBe('application/pdf');
    expect(blob.size).toBe(10);
    expect(new TextDecoder().decode(await blob.arrayBuffer())).toBe('%PDF-1.4 x');
  });
});

describe('quote actions by status', () => {
  it('offers approve and reject in review only to approvers', () => {
    expect(quoteActions('IN_REVIEW', true)).toEqual(['approve', 'reject']);
    expect(quoteActions('IN_REVIEW', false)).toEqual([]);
  });
  it('follows draft, approved, sent, and offers nothing once closed', () => {
    expect(quoteActions('DRAFT', false)).toEqual(['submit']);
    expect(quoteActions('APPROVED', false)).toEqual(['send']);
    expect(quoteActions('SENT', false)).toEqual(['accept']);
    expect(quoteActions('ACCEPTED', true)).toEqual([]);
  });
});
