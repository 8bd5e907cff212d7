import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateSessionToken } from '../../src/auth/sessions.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { withTenant } from '../../src/db/tenant.ts';
import { READS } from './reads.ts';

// The baseline for the HTTP benchmark: a bare node:http handler that runs the very same SQL
// as the API (session check, tenant transaction, the resource query through the same service
// functions) with no framework, validation or middleware. The ratio against it is the cost of
// everything Chorus adds on top.
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
const db = database.db;

const server = createServer(async (req, res) => {
  try {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = token ? await validateSessionToken(db, token, 30) : null;
    if (!user) {
      res.writeHead(401).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    for (const read of READS) {
      const m = read.match(url);
      if (m) {
        const body = await withTenant(db, user.organisationId, (tx) => read.run(tx, m));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        return;
      }
    }
    res.writeHead(404).end();
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => server.close(() => database.close().then(() => process.exit(0))));
