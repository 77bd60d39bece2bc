import { Search } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import type { TransformInfo } from '../../../core/pipescript';
import { Dialog } from '../../ui/Dialog';

export interface TransformReferenceProps {
  open: boolean;
  onClose(): void;
  /** Puts a transform's name into the transform box. */
  onPick(name: string): void;
}

/** Every PipeScript transform with its description and arguments, searchable (loaded on open). */
export function TransformReference({ open, onClose, onPick }: TransformReferenceProps) {
  const [transforms, setTransforms] = useState<TransformInfo[]>([]);
  const [query, setQuery] = useState('');

  useEffect(() => {
    if (!open || transforms.length > 0) return;
    void import('../../../core/pipescript').then((m) =>
      setTransforms(Object.values(m.listTransforms()).sort((a, b) => a.name.localeCompare(b.name))),
    );
  }, [open, transforms.length]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? transforms.filter((t) => `${t.name} ${t.description}`.toLowerCase().includes(q)) : transforms;
  }, [transforms, query]);

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Transform reference"
      description={
        <>
          Transforms are PipeScript, ConnectorDB&rsquo;s language: <code>$</code> is a value, <code>|</code>{' '}
          feeds one step into the next, <code>a:b</code> runs <code>b</code> on <code>a</code>. Aggregates are
          running values, so the total is <code>sum | if last</code>.
        </>
      }
    >
      <label className="search-field transform-search">
        <Search size={16} aria-hidden />
        <span className="visually-hidden">Search transforms</span>
        <input
          type="search"
          className="input"
          placeholder="Search transforms"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </label>
      <dl className="transform-reference">
        {shown.map((t) => (
          <div key={t.name} className="transform-entry">
            <dt>
              <button type="button" className="btn btn-ghost btn-small mono" onClick={() => onPick(t.name)}>
                {t.name}
              </button>
            </dt>
            <dd>
              {t.description}
              {t.args.length > 0 && (
                <ul className="transform-args">
                  {t.args.map((arg, i) => (
                    <li key={i}>
                      Argument {i + 1}
                      {arg.optional ? ' (optional)' : ''}: {arg.description}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
