import type { CommandRecord } from './reduceDownlink';

/** The words shown beside a control and in the command log. */
export type CommandStateText =
  'Requested' | 'Acknowledged' | 'Acknowledged (late)' | 'Mismatch' | 'Timed out' | 'Superseded';

/** How a command's state reads to a person. */
export function commandStateText(record: Pick<CommandRecord, 'state' | 'isLate'>): CommandStateText {
  switch (record.state) {
    case 'requested':
      return 'Requested';
    case 'acknowledged':
      return record.isLate ? 'Acknowledged (late)' : 'Acknowledged';
    case 'mismatch':
      return 'Mismatch';
    case 'timed-out':
      return 'Timed out';
    case 'superseded':
      return 'Superseded';
  }
}
