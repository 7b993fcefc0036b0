// The repository's test/fixtures/ as the dev server serves them to a test page, for the tests
// that run under Node (node-test-hooks.mjs, node-test-msw.mjs): `fixtureResponse(path)` answers
// '/test/fixtures/…' (any depth) from the disk, or null for any other path.
import { readFile } from 'node:fs/promises';

const ROOT = new URL('../', import.meta.url);
const FIXTURES = '/test/fixtures/';

function mediaType(name) {
  if (name.endsWith('.ndjson')) return 'application/x-ndjson';
  if (name.endsWith('.json')) return 'application/json';
  return 'application/octet-stream';
}

/** The file at `pathname` as a Response (404 when it is not there), or null when not a fixture. */
export async function fixtureResponse(pathname) {
  if (!pathname.startsWith(FIXTURES) || pathname.includes('..')) return null;
  try {
    const body = await readFile(new URL(pathname.slice(1), ROOT));
    return new Response(body, {
      headers: { 'Content-Type': mediaType(pathname), 'Content-Length': String(body.length) },
    });
  } catch {
    return new Response(null, { status: 404 });
  }
}
