import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has defaults that serve on 127.0.0.1:3000 with the embedded database', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      redisUrl: undefined,
      logLevel: 'info',
    });
    expect(c.publicOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PUBLIC_ORIGIN: 'not a url' }, 'PUBLIC_ORIGIN'],
    [{ PUBLIC_ORIGIN: 'https://app.example.com/path' }, 'PUBLIC_ORIGIN'],
    [{ CHORUS_OUTBOUND_ALLOW: '127.0.0.1' }, 'CHORUS_OUTBOUND_ALLOW'],
    [{ CHORUS_OUTBOUND_ALLOW: '10.0.0.0/33' }, 'CHORUS_OUTBOUND_ALLOW'],
    [{ TRUST_PROXY: 'yes please' }, 'TRUST_PROXY'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ CHORUS_PUBLISH_POLL_MS: 'soon' }, 'CHORUS_PUBLISH_POLL_MS'],
    [{ CHORUS_PUBLISH_MAX_ATTEMPTS: '0' }, 'CHORUS_PUBLISH_MAX_ATTEMPTS'],
    [{ CHORUS_SANDBOX_FAILURE_RATE: '2' }, 'CHORUS_SANDBOX_FAILURE_RATE'],
    [{ CHORUS_SECRET_KEY: 'short' }, 'CHORUS_SECRET_KEY'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('reads the CHORUS_* tunables, leaving unset ones to their job', () => {
    const c = loadConfig({ CHORUS_PUBLISH_POLL_MS: '50', CHORUS_SANDBOX_FAILURE_RATE: '0' });
    expect(c.tuning).toMatchObject({ publishPollMs: 50, sandboxFailureRate: 0, publishMaxAttempts: undefined });
  });

  it('reads a list of origins', () => {
    expect(loadConfig({ PUBLIC_ORIGIN: 'https://a.example.com, https://b.example.com' }).publicOrigins).toEqual([
      'https://a.example.com',
      'https://b.example.com',
    ]);
  });

  it('reads the security settings', () => {
    const c = loadConfig({
      CHORUS_OUTBOUND_ALLOW: '127.0.0.1:8080, 10.0.0.0/8',
      TRUST_PROXY: 'true',
      METRICS_TOKEN: 'a-long-enough-metrics-token',
    });
    expect(c.outboundAllow.hostPorts).toEqual([{ host: '127.0.0.1', port: 8080 }]);
    expect(c.outboundAllow.cidrs).toHaveLength(1);
    expect(c.trustProxy).toBe(true);
    expect(c.metricsToken).toBe('a-long-enough-metrics-token');
    expect(loadConfig({}).trustProxy).toBe(false);
  });
});
