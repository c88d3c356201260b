import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come only from the checked-in schema (no running server): `npm run codegen`,
// and `codegen:check` fails when src/gql is stale against ../../schema.graphql.
const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { Date: 'string', DateTime: 'string', Decimal: 'string', JSON: 'unknown' },
      },
      presetConfig: { fragmentMasking: false },
    },
    // Graphcache reads this to know interfaces, unions and non-null fields.
    'src/gql/introspection.ts': { plugins: ['urql-introspection'], config: { module: 'es2015' } },
  },
};
export default config;
