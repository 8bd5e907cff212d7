import { readFile, writeFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../../../server/src/http/api.ts';

// Generates src/api.d.ts from the server's OpenAPI document (itself generated from the zod
// schemas the routes validate with), so the web client's types come from the same source.
// `--check` fails instead of writing when the committed file is stale.
const doc = openApiDocument();
const ast = await openapiTS(doc as never);
const text = `/**\n * Generated from the Chorus OpenAPI document by scripts/generate-api.ts. Do not edit.\n */\n\n${astToString(ast)}`;
const target = new URL('../src/api.d.ts', import.meta.url);
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== text) {
    console.error('packages/shared/src/api.d.ts is stale: run `pnpm --filter @chorus/shared generate`');
    process.exit(1);
  }
  console.log('api.d.ts is up to date');
} else {
  await writeFile(target, text);
  console.log(`wrote ${target.pathname}`);
}
