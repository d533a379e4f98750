import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types for the GraphQL contract. The schema and the operation documents are
 * checked-in files shared with the backend; the output is never edited by hand.
 */
const config: CodegenConfig = {
  schema: '../graphql/schema.graphql',
  documents: ['../graphql/operations/*.graphql'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    './src/generated/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        // Documents as plain strings: no graphql-js in the browser bundle.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
        },
      },
    },
  },
};

export default config;
