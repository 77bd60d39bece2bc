/**
 * The device the simulator plays and its two downlink streams, as created on the server.
 */
import type { DeviceCreate, StreamCreate } from '../sdk';

/** The streams the simulator answers commands on. */
export type SimulatedStream = 'light' | 'thermostat';

export const THERMOSTAT_MIN = 10;
export const THERMOSTAT_MAX = 30;
/** Where the thermostat starts when it has never reported. */
export const THERMOSTAT_START = 20;
/**
 * Seconds a thermostat command may take to be acknowledged. At one degree per second, the widest
 * change (10 to 30) takes 20 s: the 10 s default would show it as timed out on the way.
 */
export const THERMOSTAT_DOWNLINK_TIMEOUT_SECONDS = 30;

/** Stream settings; `downlink: true` so commands from other devices land in `…/downlink`. */
export const SIMULATED_STREAMS: Readonly<Record<SimulatedStream, StreamCreate & { schema: object }>> = {
  light: {
    schema: { type: 'boolean' },
    datatype: 'boolean',
    downlink: true,
    nickname: 'Light',
    description: 'A simulated light switch: acknowledges each command at once.',
    icon: 'material:lightbulb',
  },
  thermostat: {
    schema: { type: 'number', minimum: THERMOSTAT_MIN, maximum: THERMOSTAT_MAX },
    datatype: 'number.temperature',
    downlink: true,
    nickname: 'Thermostat',
    description: 'A simulated thermostat: moves one degree per step towards its target, reporting each step.',
    icon: 'material:thermostat',
    downlink_timeout: THERMOSTAT_DOWNLINK_TIMEOUT_SECONDS,
  },
};

export const SIMULATOR_DEVICE: DeviceCreate = {
  nickname: 'Device simulator',
  description: 'Plays a light switch and a thermostat (npm run device).',
  icon: 'material:developer_board',
};
