import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/connect.ts';
import { adminUrl } from './db.ts';

// One template per run, so runs sharing a PostgreSQL server (two checkouts, CI beside a
// developer) never migrate or drop each other's template.
const TEMPLATE_DB = `chorus_tpl_${randomBytes(5).toString('hex')}`;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl(process.env.DATABASE_URL!) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** With DATABASE_URL, migrate one template database that every test file clones. */
export async function setup(project: TestProject) {
  project.provide('templateDb', TEMPLATE_DB);
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.warn('DATABASE_URL is not set: database tests run on embedded PGlite.');
    return;
  }
  await admin(`CREATE DATABASE ${TEMPLATE_DB}`);
  const u = new URL(url);
  u.pathname = `/${TEMPLATE_DB}`;
  const handle = await openDatabase({ databaseUrl: u.toString() });
  await handle.migrate();
  await handle.close();
}

export async function teardown() {
  if (process.env.DATABASE_URL) await admin(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
}
