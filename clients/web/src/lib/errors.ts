// Mutation payloads carry typed errors as data; a field's error is shown at that field.

export interface PayloadError {
  __typename: string;
  message: string;
  path?: readonly string[] | null;
}

/** {"website": "Not a URL"} from errors at ["input", "website"]; others under "". */
export function errorsByField(errors: readonly PayloadError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const field = error.path && error.path.length > 1 ? error.path[error.path.length - 1] : '';
    byField[field] = byField[field] ? `${byField[field]}; ${error.message}` : error.message;
  }
  return byField;
}
