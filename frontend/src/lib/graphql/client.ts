import type { TypedDocumentString } from '../../generated/graphql';
import type { Locale } from '../i18n/locale';
import TRUSTED_DOCUMENTS from '../../../../graphql/trusted-documents.json';

/** The codes the server puts in `extensions.code` (see the GraphQL contract). */
export const SERVER_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/** A server code, or `NETWORK` when the server could not be reached at all. */
export type ErrorCode = ServerErrorCode | 'NETWORK';

/** One problem with one input field; `message` is already in the user's language. */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** Why a request failed, in a form the interface can show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ErrorCode;
  /** The messages of all GraphQL errors, in the user's language; empty for network failures. */
  readonly messages: readonly string[];
  /** For VALIDATION: the fields that need attention. */
  readonly fields: readonly FieldError[];
  /** The HTTP status, when there was a response. */
  readonly status: number | undefined;

  constructor(
    code: ErrorCode,
    details: { messages?: readonly string[]; fields?: readonly FieldError[]; status?: number; cause?: unknown } = {},
  ) {
    super(details.messages?.[0] ?? code, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.messages = details.messages ?? [];
    this.fields = details.fields ?? [];
    this.status = details.status;
  }
}

export interface ClientOptions {
  /** Where the API lives; `/graphql` on the same origin in the app. */
  readonly endpoint: string;
  /** The language the server should use for its messages. */
  readonly language: () => Locale;
  /** The access token of the signed-in user, if any. */
  readonly token?: () => string | null | undefined;
  /** Headers for every request, such as the web app's `X-Buurtkracht-Session: cookie`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** For tests and other environments; defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * Operation name → trusted document id (`graphql/trusted-documents.json`, the default): a
   * known operation is sent as its id instead of its text. An operation that is not in the
   * list is sent as text.
   */
  readonly trustedDocuments?: Readonly<Record<string, string>>;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

/** Variables may be left out when the operation has no required ones. */
export type RequestArgs<V> =
  Record<string, never> extends V
    ? [variables?: V, options?: RequestOptions]
    : [variables: V, options?: RequestOptions];

export interface GraphQLClient {
  request<R, V>(document: TypedDocumentString<R, V>, ...args: RequestArgs<V>): Promise<R>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isServerErrorCode(value: unknown): value is ServerErrorCode {
  return typeof value === 'string' && (SERVER_ERROR_CODES as readonly string[]).includes(value);
}

export function codeForStatus(status: number): ServerErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  return 'INTERNAL';
}

function parseFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const fields: FieldError[] = [];
  for (const item of value) {
    if (isRecord(item) && typeof item['field'] === 'string' && typeof item['message'] === 'string') {
      fields.push({
        field: item['field'],
        code: typeof item['code'] === 'string' ? item['code'] : '',
        message: item['message'],
      });
    }
  }
  return fields;
}

/** Turn a non-empty `errors` array into one ApiError; the first error with a known code decides the code. */
function errorFromGraphQLErrors(errors: readonly unknown[], status: number): ApiError {
  const messages: string[] = [];
  const fields: FieldError[] = [];
  let code: ServerErrorCode | undefined;
  for (const error of errors) {
    if (!isRecord(error)) continue;
    if (typeof error['message'] === 'string' && error['message'] !== '') messages.push(error['message']);
    const extensions = isRecord(error['extensions']) ? error['extensions'] : {};
    if (code === undefined && isServerErrorCode(extensions['code'])) code = extensions['code'];
    fields.push(...parseFieldErrors(extensions['fields']));
  }
  return new ApiError(code ?? (status >= 400 ? codeForStatus(status) : 'INTERNAL'), { messages, fields, status });
}

const OPERATION_NAME = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** The name of the (first) operation in a document; the server logs it. */
export function operationNameOf(query: string): string | undefined {
  return OPERATION_NAME.exec(query)?.[1];
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof DOMException && error.name === 'AbortError');
}

/**
 * A very small GraphQL-over-HTTP client: one POST with JSON per operation.
 * Resolves with `data`, or rejects with an `ApiError`. An aborted request
 * rejects with the abort reason, so callers can tell it apart.
 */
export function createClient(options: ClientOptions): GraphQLClient {
  return {
    async request<R, V>(document: TypedDocumentString<R, V>, ...args: RequestArgs<V>): Promise<R> {
      const [variables, requestOptions] = args;
      const signal = requestOptions?.signal;
      const headers: Record<string, string> = {
        ...options.headers,
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Accept-Language': options.language(),
      };
      const token = options.token?.();
      if (token) headers['Authorization'] = `Bearer ${token}`;

      const query = document.toString();
      const operationName = operationNameOf(query);
      const trusted: Readonly<Record<string, string>> = options.trustedDocuments ?? TRUSTED_DOCUMENTS;
      const documentId = operationName === undefined ? undefined : trusted[operationName];
      const doFetch = options.fetch ?? fetch;
      let response: Response;
      let text: string;
      try {
        response = await doFetch(options.endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            ...(documentId === undefined ? { query } : { documentId }),
            variables: variables ?? {},
            ...(operationName ? { operationName } : {}),
          }),
          ...(signal ? { signal } : {}),
        });
        text = await response.text();
      } catch (error) {
        if (isAbort(error, signal)) throw error;
        throw new ApiError('NETWORK', { cause: error });
      }

      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: a proxy's error page, for instance.
        throw new ApiError(response.ok ? 'INTERNAL' : codeForStatus(response.status), { status: response.status });
      }
      if (!isRecord(body)) throw new ApiError('INTERNAL', { status: response.status });

      const errors = body['errors'];
      if (Array.isArray(errors) && errors.length > 0) throw errorFromGraphQLErrors(errors, response.status);
      if (!response.ok) throw new ApiError(codeForStatus(response.status), { status: response.status });
      const data = body['data'];
      if (!isRecord(data)) throw new ApiError('INTERNAL', { status: response.status });
      return data as R;
    },
  };
}
