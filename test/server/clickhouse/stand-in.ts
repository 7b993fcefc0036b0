/**
 * A stand-in ClickHouse server for the @clickhouse/client tests: it speaks enough of
 * ClickHouse's HTTP interface (GET /ping; POST / with the query in the body, `param_<name>`
 * values in the URL, Basic auth; an answer with X-ClickHouse-* headers, errors as status 500
 * with X-ClickHouse-Exception-Code) and executes exactly what it receives in chDB, with the
 * parameter values as sent. Only the transport is a stand-in: the SQL runs in the real engine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ChdbSession } from '../../../src/server/clickhouse/chdb.js';

interface NativeChdb {
  QueryAsyncConnection(
    connection: unknown,
    sql: string,
    format: string,
    params: Record<string, string>,
  ): Promise<{ bytes: Uint8Array; rowsRead: number; bytesRead: number }>;
}

/** chdb's native binding: it takes parameter values in the HTTP interface's own text form. */
function nativeChdb(): NativeChdb {
  const require = createRequire(
    join(process.cwd(), '.cache', 'chdb', 'node_modules', 'chdb', 'index.js'),
  );
  return (require('./dist/loader.js') as { loadNative(): NativeChdb }).loadNative();
}

export class ClickHouseStandIn {
  private server: Server | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly native = nativeChdb();
  /** Milliseconds to wait before answering a query (a slow ClickHouse). */
  delayMs = 0;
  port = 0;
  /** Queries received, for the tests to look at. */
  readonly received: { sql: string; params: Record<string, string> }[] = [];

  constructor(
    private readonly session: ChdbSession & { connection: unknown },
    private readonly user: string,
    private readonly password: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on 127.0.0.1, on a free port the first time and on the same port again after stop(). */
  async start(): Promise<void> {
    // ClickHouse accepts URLs up to http_max_uri_size, 1 MiB by default (Node: 16 KiB).
    const server = createServer(
      { maxHeaderSize: 1 << 20 },
      (req, res) => void this.handle(req, res),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every connection: a ClickHouse that is down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/ping') {
      res.end('Ok.\n');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const sql = Buffer.concat(chunks).toString('utf8');
    if (!this.authorized(req)) {
      this.fail(
        res,
        403,
        516,
        `Code: 516. DB::Exception: ${this.user}: Authentication failed. (AUTHENTICATION_FAILED)`,
      );
      return;
    }
    const params: Record<string, string> = {};
    for (const [key, value] of url.searchParams)
      if (key.startsWith('param_')) params[key.slice(6)] = value;
    this.received.push({ sql, params });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const run = () =>
      this.native.QueryAsyncConnection(this.session.connection, sql, 'TabSeparated', params);
    const answer = this.queue.then(run, run);
    this.queue = answer.catch(() => undefined);
    try {
      const result = await answer;
      if (res.destroyed) return;
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-ClickHouse-Query-Id': url.searchParams.get('query_id') ?? '',
        'X-ClickHouse-Format': /FORMAT\s+(\w+)\s*$/i.exec(sql)?.[1] ?? 'TabSeparated',
        'X-ClickHouse-Summary': JSON.stringify({
          read_rows: String(result.rowsRead),
          read_bytes: String(result.bytesRead),
          written_rows: '0',
          written_bytes: '0',
          total_rows_to_read: '0',
          result_rows: '0',
          result_bytes: '0',
          elapsed_ns: '0',
        }),
      });
      res.end(Buffer.from(result.bytes));
    } catch (err) {
      const message = String((err as Error).message ?? err);
      const code = /Code: (\d+)/.exec(message)?.[1] ?? '1000';
      this.fail(res, 500, Number(code), message);
    }
  }

  private authorized(req: IncomingMessage): boolean {
    const expected = `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`;
    return req.headers.authorization === expected;
  }

  private fail(res: ServerResponse, status: number, code: number, message: string): void {
    if (res.destroyed) return;
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(code),
    });
    res.end(message + '\n');
  }
}
