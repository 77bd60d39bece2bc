import type { IconKind } from '../../ui/ObjectIcon';
import { chooseWidget } from '../entry/chooseWidget';

/** The fallback icon of a stream without one: what its input looks like. */
export function iconKindOf(stream: { datatype: string; schema: string }): IconKind {
  switch (chooseWidget(stream).kind) {
    case 'stars':
      return 'rating';
    case 'number':
      return 'number';
    case 'toggle':
      return 'toggle';
    case 'text':
      return 'diary';
    default:
      return 'stream';
  }
}
