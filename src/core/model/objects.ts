/**
 * The three kinds of object in a repository, with exactly the JSON keys ConnectorDB 0.3 used
 * (plus Tributary's stream `tags`). Field order matches the original's output.
 */

export interface User {
  name: string;
  nickname: string;
  email: string;
  description: string;
  icon: string;
  role: string;
  public: boolean;
}

export interface Device {
  name: string;
  nickname: string;
  description: string;
  icon: string;
  apikey: string;
  enabled: boolean;
  public: boolean;
  role: string;
  visible: boolean;
  user_editable: boolean;
}

export interface Stream {
  name: string;
  nickname: string;
  description: string;
  icon: string;
  /** A JSON Schema, stored and returned as a minified string (`"{}"` when empty). */
  schema: string;
  datatype: string;
  ephemeral: boolean;
  downlink: boolean;
  /** Tributary extension: free-form labels, filterable with `q=streams&tag=x`. */
  tags: string[];
  /**
   * Tributary extension: seconds a downlink command may wait for the device's acknowledgement
   * before clients show it as timed out. 0 means the default (10 s).
   */
  downlink_timeout: number;
}

/** A stream listed under its user (`q=streams`): the stream plus the name of its device. */
export type UserStream = Stream & { device: string };

export type FieldKind = 'string' | 'boolean' | 'number' | 'string[]';

export const USER_FIELDS = {
  name: 'string',
  nickname: 'string',
  email: 'string',
  description: 'string',
  icon: 'string',
  role: 'string',
  public: 'boolean',
} as const satisfies Record<keyof User, FieldKind>;

export const DEVICE_FIELDS = {
  name: 'string',
  nickname: 'string',
  description: 'string',
  icon: 'string',
  apikey: 'string',
  enabled: 'boolean',
  public: 'boolean',
  role: 'string',
  visible: 'boolean',
  user_editable: 'boolean',
} as const satisfies Record<keyof Device, FieldKind>;

export const STREAM_FIELDS = {
  name: 'string',
  nickname: 'string',
  description: 'string',
  icon: 'string',
  schema: 'string',
  datatype: 'string',
  ephemeral: 'boolean',
  downlink: 'boolean',
  tags: 'string[]',
  downlink_timeout: 'number',
} as const satisfies Record<keyof Stream, FieldKind>;

/** Default downlink acknowledgement timeout when a stream does not set one. */
export const DEFAULT_DOWNLINK_TIMEOUT_SECONDS = 10;

export const STREAM_DEFAULTS: Omit<Stream, 'name'> = {
  nickname: '',
  description: '',
  icon: '',
  schema: '{}',
  datatype: '',
  ephemeral: false,
  downlink: false,
  tags: [],
  downlink_timeout: 0,
};

export const DEVICE_DEFAULTS: Omit<Device, 'name' | 'apikey'> = {
  nickname: '',
  description: '',
  icon: '',
  enabled: true,
  public: false,
  role: '',
  visible: true,
  user_editable: true,
};

export const USER_DEFAULTS: Omit<User, 'name' | 'email'> = {
  nickname: '',
  description: '',
  icon: '',
  role: 'user',
  public: true,
};

/** The schema of every user's `meta/log` stream, as ConnectorDB created it. */
export const META_LOG_SCHEMA =
  '{"type":"object","properties":{"cmd":{"type":"string"},"arg":{"type":"string"}},"required":["cmd","arg"]}';

/** An entry of the `meta/log` stream: which change happened to which path. */
export interface MetaLogEntry {
  cmd:
    | 'CreateUser'
    | 'UpdateUser'
    | 'CreateDevice'
    | 'UpdateDevice'
    | 'DeleteDevice'
    | 'CreateStream'
    | 'UpdateStream'
    | 'DeleteStream';
  arg: string;
}
