import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NeighbourhoodDocument, NeighbourhoodsDocument } from '../src/generated/graphql';
import { ApiError, SERVER_ERROR_CODES, createClient, operationNameOf } from '../src/lib/graphql/client';
import type { Locale } from '../src/lib/i18n/locale';
import TRUSTED_DOCUMENTS from '../../graphql/trusted-documents.json';

/** What the test server saw of the last request. */
interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

type Responder = (response: ServerResponse, seen: Seen) => void;

let server: Server;
let endpoint: string;
let seen: Seen | undefined;
let respond: Responder;

function json(status: number, body: unknown): Responder {
  return (response) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen = { method: request.method, url: request.url, headers: request.headers, body: text ? JSON.parse(text) : null };
      respond(response, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = undefined;
  respond = json(200, { data: {} });
});

let language: Locale = 'nl';
let token: string | null = null;
const client = (extra: { trustedDocuments?: Readonly<Record<string, string>> } = {}) =>
  createClient({ endpoint, language: () => language, token: () => token, ...extra });

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const neighbourhood = {
  id: '1',
  slug: 'transvaal',
  name: 'Transvaal',
  description: 'Een wijk in Den Haag.',
  memberCount: 4,
  organisers: [{ id: '7', displayName: 'Fatima' }],
  createdAt: '2026-11-22T20:01:00Z',
};

describe('the GraphQL client', () => {
  it('posts the operation as JSON with the language, and returns the data', async () => {
    language = 'en';
    token = null;
    respond = json(200, { data: { neighbourhood } });
    const data = await client().request(NeighbourhoodDocument, { slug: 'transvaal' });
    expect(data.neighbourhood?.organisers[0]?.displayName).toBe('Fatima');
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/graphql');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers['accept-language']).toBe('en');
    expect(seen?.headers['authorization']).toBeUndefined();
    expect(seen?.body).toEqual({
      documentId: TRUSTED_DOCUMENTS['Neighbourhood'],
      variables: { slug: 'transvaal' },
      operationName: 'Neighbourhood',
    });
    expect(TRUSTED_DOCUMENTS['Neighbourhood']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('sends the text of an operation that is not a trusted document', async () => {
    respond = json(200, { data: { neighbourhood } });
    await client({ trustedDocuments: {} }).request(NeighbourhoodDocument, { slug: 'transvaal' });
    expect(seen?.body).toEqual({
      query: NeighbourhoodDocument.toString(),
      variables: { slug: 'transvaal' },
      operationName: 'Neighbourhood',
    });
  });

  it('follows a change of language and sends the access token when there is one', async () => {
    language = 'nl';
    token = 'abc.def.ghi';
    respond = json(200, { data: { neighbourhoods: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } } } });
    await client().request(NeighbourhoodsDocument);
    expect(seen?.headers['accept-language']).toBe('nl');
    expect(seen?.headers['authorization']).toBe('Bearer abc.def.ghi');
    expect(seen?.body).toEqual({ documentId: TRUSTED_DOCUMENTS['Neighbourhoods'], variables: {}, operationName: 'Neighbourhoods' });
    token = null;
  });

  it('finds the operation name in a document', () => {
    expect(operationNameOf('query Neighbourhoods($first: Int) { x }')).toBe('Neighbourhoods');
    expect(operationNameOf('\n  mutation CreateNeighbourhood($input: X!) { y }')).toBe('CreateNeighbourhood');
    expect(operationNameOf('{ neighbourhoods { totalCount } }')).toBeUndefined();
  });

  it('turns every error code of the server into an ApiError with that code and the server message', async () => {
    for (const code of SERVER_ERROR_CODES) {
      respond = json(200, { data: null, errors: [{ message: `bericht ${code}`, extensions: { code } }] });
      const error = await failure(client().request(NeighbourhoodDocument, { slug: 'x' }));
      expect(error.code).toBe(code);
      expect(error.messages).toEqual([`bericht ${code}`]);
    }
  });

  it('keeps the field errors of a VALIDATION error', async () => {
    respond = json(200, {
      data: null,
      errors: [
        {
          message: 'Controleer wat je hebt ingevuld.',
          extensions: {
            code: 'VALIDATION',
            fields: [
              { field: 'name', code: 'TOO_LONG', message: 'De naam is te lang.' },
              { field: 'slug', code: 'INVALID', message: 'Gebruik alleen kleine letters.' },
              { nonsense: true },
            ],
          },
        },
      ],
    });
    const error = await failure(client().request(NeighbourhoodDocument, { slug: 'x' }));
    expect(error.code).toBe('VALIDATION');
    expect(error.fields).toEqual([
      { field: 'name', code: 'TOO_LONG', message: 'De naam is te lang.' },
      { field: 'slug', code: 'INVALID', message: 'Gebruik alleen kleine letters.' },
    ]);
  });

  it('treats an error with an unknown or missing code as INTERNAL, also when some data came back', async () => {
    respond = json(200, { data: { neighbourhood: null }, errors: [{ message: 'Oeps', extensions: { code: 'SOMETHING_NEW' } }] });
    expect((await failure(client().request(NeighbourhoodDocument, { slug: 'x' }))).code).toBe('INTERNAL');
    respond = json(200, { errors: [{ message: 'Unknown field' }] });
    expect((await failure(client().request(NeighbourhoodDocument, { slug: 'x' }))).code).toBe('INTERNAL');
  });

  it('uses the HTTP status when the body says nothing useful', async () => {
    respond = (response) => {
      response.writeHead(429, { 'Content-Type': 'text/plain' });
      response.end('Too Many Requests');
    };
    expect((await failure(client().request(NeighbourhoodDocument, { slug: 'x' }))).code).toBe('RATE_LIMITED');

    respond = (response) => {
      response.writeHead(502, { 'Content-Type': 'text/html' });
      response.end('<h1>Bad Gateway</h1>');
    };
    const badGateway = await failure(client().request(NeighbourhoodDocument, { slug: 'x' }));
    expect(badGateway.code).toBe('INTERNAL');
    expect(badGateway.status).toBe(502);

    respond = json(401, { errors: [{ message: 'Log in' }] });
    expect((await failure(client().request(NeighbourhoodDocument, { slug: 'x' }))).code).toBe('UNAUTHENTICATED');

    respond = json(200, { data: null });
    expect((await failure(client().request(NeighbourhoodDocument, { slug: 'x' }))).code).toBe('INTERNAL');
  });

  it('reports NETWORK when the connection breaks during the response', async () => {
    respond = (response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      response.write('{"data":');
      setTimeout(() => response.socket?.destroy(), 10);
    };
    const error = await failure(client().request(NeighbourhoodDocument, { slug: 'x' }));
    expect(error.code).toBe('NETWORK');
    expect(error.messages).toEqual([]);
  });

  it('reports NETWORK when nothing listens at the address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = createClient({ endpoint: `http://127.0.0.1:${port}/graphql`, language: () => 'nl' });
    expect((await failure(offline.request(NeighbourhoodDocument, { slug: 'x' }))).code).toBe('NETWORK');
  });

  it('rejects with the abort, not an ApiError, when the caller aborts', async () => {
    respond = (response) => {
      setTimeout(() => json(200, { data: { neighbourhood } })(response, seen as Seen), 200);
    };
    const controller = new AbortController();
    const request = client().request(NeighbourhoodDocument, { slug: 'x' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await request.catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as Error).name).toBe('AbortError');
  });
});
