// quoteDocument returns the PDF as base64; the browser saves it as a Blob.

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function pdfBlob(base64: string, contentType = 'application/pdf'): Blob {
  return new Blob([base64ToBytes(base64)], { type: contentType });
}

/** Saves `blob` as `filename` through a temporary object URL. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Which actions a quote offers in its status (the API enforces roles; a refusal is shown). */
export type QuoteAction = 'submit' | 'approve' | 'reject' | 'send' | 'accept';
export function quoteActions(status: string, canApprove: boolean): QuoteAction[] {
  switch (status) {
    case 'DRAFT': return ['submit'];
    case 'IN_REVIEW': return canApprove ? ['approve', 'reject'] : [];
    case 'APPROVED': return ['send'];
    case 'SENT': return ['accept'];
    default: return [];
  }
}
