/**
 * oidc-provider's storage, in memory and owned by one IdP instance: everything is gone when it
 * stops, which is what a development provider wants. (Passing our own adapter also keeps
 * oidc-provider from printing its "in-memory adapter" warning.)
 *
 * Expiry is checked on read, so there are no timers to clean up.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  readonly payload: AdapterPayload;
  readonly expiresAt: number;
}

// Artifacts that belong to a grant and must disappear with it (revocation, logout, refresh reuse).
const GRANT_MEMBERS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  private readonly grants = new Map<string, Set<string>>();
  private readonly sessionUids = new Map<string, string>();
  private readonly userCodes = new Map<string, string>();

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    const key = `${model}:${id}`;
    const expiresAt = expiresIn === undefined ? Number.POSITIVE_INFINITY : Date.now() + expiresIn * 1000;
    this.entries.set(key, { payload: structuredClone(payload), expiresAt });
    if (model === 'Session' && typeof payload.uid === 'string') this.sessionUids.set(payload.uid, id);
    if (typeof payload.userCode === 'string') this.userCodes.set(payload.userCode, id);
    if (GRANT_MEMBERS.has(model) && typeof payload.grantId === 'string') {
      const members = this.grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.grants.set(payload.grantId, members);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  idForSessionUid(uid: string): string | undefined {
    return this.sessionUids.get(uid);
  }

  idForUserCode(userCode: string): string | undefined {
    return this.userCodes.get(userCode);
  }

  deleteGrantMembers(grantId: string): void {
    for (const key of this.grants.get(grantId) ?? []) this.entries.delete(key);
    this.grants.delete(grantId);
  }
}

/** A factory for `Configuration.adapter`: one store shared by every model of one provider. */
export function createMemoryAdapterFactory(): (modelName: string) => Adapter {
  const store = new MemoryStore();
  return (model) => {
    const key = (id: string): string => `${model}:${id}`;
    const find = async (id: string | undefined): Promise<AdapterPayload | undefined> => {
      const payload = id === undefined ? undefined : store.get(key(id));
      return payload === undefined ? undefined : structuredClone(payload);
    };
    return {
      upsert: async (id, payload, expiresIn) => store.set(model, id, payload, expiresIn),
      find,
      findByUid: async (uid) => find(store.idForSessionUid(uid)),
      findByUserCode: async (userCode) => find(store.idForUserCode(userCode)),
      consume: async (id) => {
        const payload = store.get(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => store.delete(key(id)),
      revokeByGrantId: async (grantId) => store.deleteGrantMembers(grantId),
    };
  };
}
