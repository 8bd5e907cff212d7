import { api, type User } from '../api/client.ts';
import { LiveCollection } from './collection.svelte.ts';

/**
 * The organisation's members, loaded once per tab on first use and kept current by the change
 * feed: mentions are written and shown with their names.
 */
let members: LiveCollection<User> | null = null;

export function team(): LiveCollection<User> {
  members ??= new LiveCollection<User>('user', () => api.users());
  return members;
}
