// Types come only from ../../schema.graphql (checked in) and the documents in
// src/operations.ts: no running server is needed. `npm run codegen:check` fails
// when src/gql/ is stale.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        // sha256 of each normalized document: the server's trusted-documents manifest
        // format (CRM_TRUSTED_DOCUMENTS) and the hash `persistedQueries: "trusted"` sends.
        persistedDocuments: { hashAlgorithm: "sha256" },
      },
      config: {
        useTypeImports: true,
        // ESM: relative imports with their .js extension (NodeNext resolution).
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        scalars: {
          DateTime: "string",
          Date: "string",
          Decimal: "string",
          JSON: "unknown",
        },
      },
    },
  },
};

export default config;
