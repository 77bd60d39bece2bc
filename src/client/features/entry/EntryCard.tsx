import { ChartLine } from 'lucide-react';
import { useId } from 'react';
import { Link } from 'react-router';
import type { Stream } from '../../../core/model';
import { ObjectIcon } from '../../ui/ObjectIcon';
import { chooseWidget, type WidgetChoice } from './chooseWidget';
import { StreamInput } from './StreamInput';

const KIND_ICON = { stars: 'rating', number: 'number', toggle: 'toggle', text: 'diary' } as const;

/** What a card says under the name when the stream has no description. */
const KIND_LABEL: Record<WidgetChoice['kind'], string> = {
  stars: 'Star rating',
  number: 'Number',
  toggle: 'On or off',
  text: 'Text',
  form: 'Form',
  json: 'Any JSON value',
};

/** A stream as a card on the Insert and Downlinks pages: its name, its input, a link to its plot. */
export function EntryCard({ path, stream, context }: { path: string; stream: Stream; context?: string }) {
  const titleId = useId();
  const label = stream.nickname || stream.name;
  const kind = chooseWidget(stream).kind;
  return (
    <section className="card entry-card" aria-labelledby={titleId}>
      <div className="card-header">
        <ObjectIcon
          icon={stream.icon}
          kind={kind in KIND_ICON ? KIND_ICON[kind as keyof typeof KIND_ICON] : 'stream'}
        />
        <div className="card-title">
          <h2 id={titleId}>{label}</h2>
          <p>{context ?? (stream.description || KIND_LABEL[kind])}</p>
        </div>
        <Link
          to={`/${path}`}
          className="btn btn-ghost btn-icon btn-small"
          aria-label={`Plot and data of ${label}`}
        >
          <ChartLine size={18} aria-hidden />
        </Link>
      </div>
      <StreamInput path={path} stream={stream} />
    </section>
  );
}
