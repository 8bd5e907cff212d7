import type { OutboundAllow } from '../net/outbound.ts';
import { mastodonConnector } from './mastodon.ts';
import { type SandboxOptions, sandboxConnector } from './sandbox.ts';
import type { Connector } from './types.ts';

export type ConnectorName = 'sandbox' | 'mastodon';

/** The connectors a process offers, by the name stored in connector_accounts.connector. */
export function connectorRegistry(opts: {
  sandbox: SandboxOptions;
  outboundAllow: OutboundAllow;
}): Record<ConnectorName, Connector> {
  return { sandbox: sandboxConnector(opts.sandbox), mastodon: mastodonConnector(opts.outboundAllow) };
}
