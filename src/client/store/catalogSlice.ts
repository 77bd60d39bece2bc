/**
 * Users, devices and streams as last read from the server, keyed by path, plus which lists have been
 * read. Every read and every change goes through these actions, so issue #4 can serve them from an
 * IndexedDB cache first without touching a component.
 */
import type { Device, Stream, User, UserStream } from '../../core/model';
import type { DeviceCreate, DevicePatch, StreamCreate, StreamPatch, UserCreate, UserPatch } from '../../sdk';
import type { LocalCache } from '../local-first';
import type { Loadable, SliceCreator } from './appState';
import { describeError, failed, ok, type ActionResult } from './describeError';
import { deviceKey, streamKey } from './paths';
import { readThroughCache } from './readThroughCache';

export interface CatalogState {
  users: Record<string, User>;
  /** All users (admins only). */
  userList: Loadable<string[]> | undefined;
  /** Device names by user. */
  deviceLists: Record<string, Loadable<string[]>>;
  /** Devices by `user/device`. */
  devices: Record<string, Device>;
  /** Stream names by `user/device`. */
  streamLists: Record<string, Loadable<string[]>>;
  /** Streams by `user/device/stream`. */
  streams: Record<string, Stream>;
  /** Errors of single-object reads by path (a missing stream, a refused user). */
  objectErrors: Record<string, string>;
  /** Paths of every downlink stream the person can reach. */
  downlinkList: Loadable<string[]> | undefined;
}

export interface CatalogSlice extends CatalogState {
  loadUsers(): Promise<void>;
  loadUser(user: string): Promise<void>;
  loadDevices(user: string): Promise<void>;
  loadDevice(user: string, device: string): Promise<void>;
  loadStreams(user: string, device: string): Promise<void>;
  loadStream(path: string): Promise<void>;
  loadDownlinkStreams(): Promise<void>;
  createUser(name: string, props: UserCreate): Promise<ActionResult<User>>;
  updateUser(name: string, patch: UserPatch): Promise<ActionResult<User>>;
  deleteUser(name: string): Promise<ActionResult>;
  createDevice(user: string, device: string, props: DeviceCreate): Promise<ActionResult<Device>>;
  updateDevice(user: string, device: string, patch: DevicePatch): Promise<ActionResult<Device>>;
  deleteDevice(user: string, device: string): Promise<ActionResult>;
  resetApiKey(user: string, device: string): Promise<ActionResult<string>>;
  createStream(path: string, props: StreamCreate): Promise<ActionResult<Stream>>;
  updateStream(path: string, patch: StreamPatch): Promise<ActionResult<Stream>>;
  deleteStream(path: string): Promise<ActionResult>;
}

export const initialCatalogState: CatalogState = {
  users: {},
  userList: undefined,
  deviceLists: {},
  devices: {},
  streamLists: {},
  streams: {},
  objectErrors: {},
  downlinkList: undefined,
};

/** Marks a list as loading while keeping what it showed, so a refresh does not blank the page. */
function loading<T>(previous: Loadable<T> | undefined): Loadable<T> {
  return { status: 'loading', value: previous?.value };
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/** A stream as stored: the `device` key of a `q=streams` listing is part of the path, not the stream. */
function plainStream(stream: Stream | UserStream): Stream {
  const { device: _device, ...rest } = stream as UserStream;
  return rest;
}

export const createCatalogSlice: SliceCreator<CatalogSlice> = (deps) => (set, get) => {
  const api = deps.client;
  const local = deps.local;
  /** Keeps the device's cache in step with a change the server confirmed. */
  const updateCache = (change: (cache: LocalCache) => Promise<void>) => {
    const cache = local.current()?.cache;
    if (cache) void change(cache).catch((error: unknown) => console.error('tributary cache:', error));
  };
  /** A list read failed: keep what is shown (cached or earlier), or show the error. */
  const failList = <T>(
    list: Loadable<T> | undefined,
    error: unknown,
    isShowingValue: boolean,
  ): Loadable<T> =>
    isShowingValue
      ? { status: 'ready', value: list?.value }
      : { ...list, status: 'error', error: describeError(error) };

  const clearError = (key: string) =>
    set((s) => (key in s.objectErrors ? { objectErrors: withoutKey(s.objectErrors, key) } : {}));
  const setError = (key: string, error: unknown) =>
    set((s) => ({ objectErrors: { ...s.objectErrors, [key]: describeError(error) } }));

  const rememberStreams = (user: string, device: string, list: Stream[]) =>
    set((s) => {
      const streams = { ...s.streams };
      for (const stream of list) streams[streamKey(user, device, stream.name)] = plainStream(stream);
      const names = list.map((x) => x.name).sort();
      return {
        streams,
        streamLists: { ...s.streamLists, [deviceKey(user, device)]: { status: 'ready', value: names } },
      };
    });

  return {
    ...initialCatalogState,

    async loadUsers() {
      set((s) => ({ userList: loading(s.userList) }));
      await readThroughCache(local, set, {
        key: 'users',
        read: (cache) => cache.readUsers(),
        fetch: () => api.listUsers(),
        merge: (cache, list, at) => cache.mergeUsers(list, at),
        hasValue: () => get().userList?.value !== undefined,
        show: (list) =>
          set((s) => {
            const users = { ...s.users };
            for (const user of list) users[user.name] = user;
            return { users, userList: { status: 'ready', value: list.map((u) => u.name).sort() } };
          }),
        fail: (error, isShowingValue) =>
          set((s) => ({ userList: failList(s.userList, error, isShowingValue) })),
      });
    },

    async loadUser(user) {
      await readThroughCache(local, set, {
        key: `user/${user}`,
        read: (cache) => cache.readUser(user),
        fetch: () => api.readUser(user),
        merge: (cache, value, at) => cache.mergeUser(value, at),
        hasValue: () => user in get().users,
        show: (value) => {
          set((s) => ({ users: { ...s.users, [user]: value } }));
          clearError(user);
        },
        fail: (error, isShowingValue) => {
          if (!isShowingValue) setError(user, error);
        },
      });
    },

    async loadDevices(user) {
      set((s) => ({ deviceLists: { ...s.deviceLists, [user]: loading(s.deviceLists[user]) } }));
      await readThroughCache(local, set, {
        key: `devices/${user}`,
        read: (cache) => cache.readDevices(user),
        fetch: () => api.listDevices(user),
        merge: (cache, list, at) => cache.mergeDevices(user, list, at),
        hasValue: () => get().deviceLists[user]?.value !== undefined,
        show: (list) =>
          set((s) => {
            const devices = { ...s.devices };
            for (const device of list) devices[deviceKey(user, device.name)] = device;
            const names = list.map((d) => d.name).sort();
            return { devices, deviceLists: { ...s.deviceLists, [user]: { status: 'ready', value: names } } };
          }),
        fail: (error, isShowingValue) =>
          set((s) => ({
            deviceLists: { ...s.deviceLists, [user]: failList(s.deviceLists[user], error, isShowingValue) },
          })),
      });
    },

    async loadDevice(user, device) {
      const key = deviceKey(user, device);
      await readThroughCache(local, set, {
        key: `device/${key}`,
        read: (cache) => cache.readDevice(user, device),
        fetch: () => api.readDevice(user, device),
        merge: (cache, value, at) => cache.mergeDevice(user, value, at),
        hasValue: () => key in get().devices,
        show: (value) => {
          set((s) => ({ devices: { ...s.devices, [key]: value } }));
          clearError(key);
        },
        fail: (error, isShowingValue) => {
          if (!isShowingValue) setError(key, error);
        },
      });
    },

    async loadStreams(user, device) {
      const key = deviceKey(user, device);
      set((s) => ({ streamLists: { ...s.streamLists, [key]: loading(s.streamLists[key]) } }));
      await readThroughCache(local, set, {
        key: `streams/${key}`,
        read: (cache) => cache.readStreams(user, device),
        fetch: () => api.listStreams(user, device),
        merge: (cache, list, at) => cache.mergeStreams(user, device, list, at),
        hasValue: () => get().streamLists[key]?.value !== undefined,
        show: (list) => rememberStreams(user, device, list),
        fail: (error, isShowingValue) =>
          set((s) => ({
            streamLists: { ...s.streamLists, [key]: failList(s.streamLists[key], error, isShowingValue) },
          })),
      });
    },

    async loadStream(path) {
      await readThroughCache(local, set, {
        key: `stream/${path}`,
        read: (cache) => cache.readStream(path),
        fetch: async () => plainStream(await api.readStream(path)),
        merge: (cache, value, at) => cache.mergeStream(path, value, at),
        hasValue: () => path in get().streams,
        show: (value) => {
          set((s) => ({ streams: { ...s.streams, [path]: value } }));
          clearError(path);
        },
        fail: (error, isShowingValue) => {
          if (!isShowingValue) setError(path, error);
        },
      });
    },

    async loadDownlinkStreams() {
      const session = get().session;
      if (!session) return;
      set((s) => ({ downlinkList: loading(s.downlinkList) }));
      try {
        // An admin reaches other people's downlinks too; everyone else only their own.
        let owners = [session.user];
        if (session.isAdmin) {
          const users = await api.listUsers();
          owners = [session.user, ...users.map((u) => u.name).filter((name) => name !== session.user)];
        }
        const lists = await Promise.all(
          owners.map(async (user) => ({
            user,
            streams: await api.listUserStreams(user, { downlink: true }),
          })),
        );
        set((s) => {
          const streams = { ...s.streams };
          const paths: string[] = [];
          for (const { user, streams: list } of lists) {
            for (const stream of list) {
              const path = streamKey(user, stream.device, stream.name);
              streams[path] = plainStream(stream);
              paths.push(path);
            }
          }
          return { streams, downlinkList: { status: 'ready', value: paths } };
        });
      } catch (error) {
        set((s) => ({ downlinkList: { ...s.downlinkList, status: 'error', error: describeError(error) } }));
      }
    },

    async createUser(name, props) {
      try {
        const user = await api.createUser(name, props);
        updateCache((cache) => cache.mergeUser(user));
        set((s) => ({
          users: { ...s.users, [name]: user },
          userList: s.userList && {
            ...s.userList,
            value: [...(s.userList.value ?? []).filter((n) => n !== name), name].sort(),
          },
        }));
        return ok(user);
      } catch (error) {
        return failed(error);
      }
    },

    async updateUser(name, patch) {
      try {
        const user = await api.updateUser(name, patch);
        updateCache((cache) => cache.mergeUser(user));
        set((s) => ({ users: { ...s.users, [name]: user } }));
        return ok(user);
      } catch (error) {
        return failed(error);
      }
    },

    async deleteUser(name) {
      try {
        await api.deleteUser(name);
        updateCache((cache) => cache.forgetUser(name));
        set((s) => ({
          users: withoutKey(s.users, name),
          userList: s.userList && { ...s.userList, value: s.userList.value?.filter((n) => n !== name) },
        }));
        return ok(undefined);
      } catch (error) {
        return failed(error);
      }
    },

    async createDevice(user, device, props) {
      try {
        const created = await api.createDevice(user, device, props);
        updateCache((cache) => cache.mergeDevice(user, created));
        set((s) => {
          const list = s.deviceLists[user];
          return {
            devices: { ...s.devices, [deviceKey(user, device)]: created },
            deviceLists: list
              ? { ...s.deviceLists, [user]: { ...list, value: [...(list.value ?? []), device].sort() } }
              : s.deviceLists,
          };
        });
        return ok(created);
      } catch (error) {
        return failed(error);
      }
    },

    async updateDevice(user, device, patch) {
      try {
        const updated = await api.updateDevice(user, device, patch);
        updateCache((cache) => cache.mergeDevice(user, updated));
        set((s) => ({ devices: { ...s.devices, [deviceKey(user, device)]: updated } }));
        return ok(updated);
      } catch (error) {
        return failed(error);
      }
    },

    async deleteDevice(user, device) {
      try {
        await api.deleteDevice(user, device);
        updateCache((cache) => cache.forgetDevice(user, device));
        const key = deviceKey(user, device);
        set((s) => {
          const list = s.deviceLists[user];
          return {
            devices: withoutKey(s.devices, key),
            streamLists: withoutKey(s.streamLists, key),
            deviceLists: list
              ? { ...s.deviceLists, [user]: { ...list, value: list.value?.filter((n) => n !== device) } }
              : s.deviceLists,
          };
        });
        return ok(undefined);
      } catch (error) {
        return failed(error);
      }
    },

    async resetApiKey(user, device) {
      try {
        const apikey = await api.resetApiKey(user, device);
        const key = deviceKey(user, device);
        set((s) => {
          const current = s.devices[key];
          return current ? { devices: { ...s.devices, [key]: { ...current, apikey } } } : {};
        });
        const updated = get().devices[key];
        if (updated) updateCache((cache) => cache.mergeDevice(user, updated));
        return ok(apikey);
      } catch (error) {
        return failed(error);
      }
    },

    async createStream(path, props) {
      try {
        const created = plainStream(await api.createStream(path, props));
        updateCache((cache) => cache.mergeStream(path, created));
        const owner = path.slice(0, path.lastIndexOf('/'));
        set((s) => {
          const list = s.streamLists[owner];
          return {
            streams: { ...s.streams, [path]: created },
            streamLists: list
              ? {
                  ...s.streamLists,
                  [owner]: { ...list, value: [...(list.value ?? []), created.name].sort() },
                }
              : s.streamLists,
          };
        });
        return ok(created);
      } catch (error) {
        return failed(error);
      }
    },

    async updateStream(path, patch) {
      try {
        const updated = plainStream(await api.updateStream(path, patch));
        updateCache((cache) => cache.mergeStream(path, updated));
        set((s) => ({ streams: { ...s.streams, [path]: updated } }));
        return ok(updated);
      } catch (error) {
        return failed(error);
      }
    },

    async deleteStream(path) {
      try {
        await api.deleteStream(path);
        updateCache((cache) => cache.forgetStream(path));
        const owner = path.slice(0, path.lastIndexOf('/'));
        const name = path.slice(path.lastIndexOf('/') + 1);
        set((s) => {
          const list = s.streamLists[owner];
          return {
            streams: withoutKey(s.streams, path),
            streamLists: list
              ? { ...s.streamLists, [owner]: { ...list, value: list.value?.filter((n) => n !== name) } }
              : s.streamLists,
            downlinkList: s.downlinkList && {
              ...s.downlinkList,
              value: s.downlinkList.value?.filter((p) => p !== path),
            },
          };
        });
        return ok(undefined);
      } catch (error) {
        return failed(error);
      }
    },
  };
};
