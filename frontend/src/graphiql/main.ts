// GraphiQL, the in-browser IDE for the API, bundled with the web app so that /graphiql works
// offline and under a Content-Security-Policy without other hosts (no CDN).
import type { ExecutionResult } from 'graphql';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import './graphiql.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

type Fetcher = NonNullable<Parameters<typeof GraphiQL>[0]['fetcher']>;

/** POST every operation to /graphql, with the headers typed in GraphiQL's header editor. */
const fetcher: Fetcher = async (params, options) => {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  for (const [name, value] of Object.entries(options?.headers ?? {})) {
    if (typeof value === 'string') headers[name] = value;
  }
  const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
  return (await response.json()) as ExecutionResult;
};

const DEFAULT_QUERY = `# The Buurtkracht API. Sign in with a mutation, then put
#   { "Authorization": "Bearer <accessToken>" }
# in the headers below. The schema is in the documentation explorer.
query Neighbourhoods {
  neighbourhoods(first: 10) {
    edges {
      node {
        name
        slug
      }
    }
  }
}
`;

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(createElement(GraphiQL, { fetcher, defaultQuery: DEFAULT_QUERY }));
}
