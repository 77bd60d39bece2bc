import { Download, Table } from 'lucide-react';
import { useState } from 'react';
import type { Datapoint } from '../../../core/model';
import type { DisplayPoint } from '../../store';
import { EmptyState } from '../../ui/EmptyState';
import { formatDateTime, formatValue } from '../../ui/formatTime';
import { Skeleton } from '../../ui/Skeleton';
import { toCsv } from './toCsv';

const PAGE_SIZE = 25;
const MAX_KEY_COLUMNS = 6;

/** The keys to tabulate when every value is a flat object with few keys; otherwise undefined. */
export function objectKeys(points: readonly Datapoint[]): string[] | undefined {
  if (points.length === 0) return undefined;
  const keys = new Set<string>();
  for (const { d } of points) {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) return undefined;
    for (const [key, value] of Object.entries(d)) {
      if (typeof value === 'object' && value !== null) return undefined;
      keys.add(key);
    }
  }
  return keys.size > 0 && keys.size <= MAX_KEY_COLUMNS ? [...keys].sort() : undefined;
}

export interface DataTableProps {
  label: string;
  /** Used for the CSV file's name. */
  path: string;
  /** The server's points and, marked with `outboxState`, those still waiting on this device. */
  points: DisplayPoint[];
  isLoading: boolean;
}

/** The words of a row's mark: a value not on the server yet, or one it refused. */
export function outboxMark(
  point: DisplayPoint,
): { text: string; title: string; className: string } | undefined {
  if (point.outboxState === 'rejected') {
    return {
      text: 'Refused',
      title: 'The server refused this value: see the queue',
      className: 'badge-danger',
    };
  }
  if (point.outboxState) {
    return {
      text: 'Pending',
      title: 'Kept on this device, not on the server yet',
      className: 'badge-pending',
    };
  }
  return undefined;
}

/** The datapoints of the range, newest first, with a CSV download of all of them. */
export function DataTable({ label, path, points, isLoading }: DataTableProps) {
  const [shownCount, setShownCount] = useState(PAGE_SIZE);
  const newestFirst = points.slice(-shownCount).reverse();
  const hasSender = points.some((p) => p.o);
  // Objects get a column per key, like the CSV; other values one "Value" column.
  const keys = objectKeys(points);

  const download = () => {
    // A refused value was never saved: it is not one of the stream's values.
    const saved: Datapoint[] = points.filter((p) => p.outboxState !== 'rejected');
    const blob = new Blob([toCsv(saved)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${path.replace(/\//g, '-')}.csv`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className="card section" aria-labelledby="table-title">
      <div className="section-title">
        <h2 id="table-title">Values</h2>
        <button type="button" className="btn btn-small" disabled={points.length === 0} onClick={download}>
          <Download size={16} aria-hidden />
          Download CSV
        </button>
      </div>
      {points.length === 0 ? (
        isLoading ? (
          <Skeleton height="8rem" />
        ) : (
          <EmptyState icon={<Table size={28} />} title="No values in this range" />
        )
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">Values of {label}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col" className="time-col">
                    Time
                  </th>
                  {keys ? (
                    keys.map((key) => (
                      <th key={key} scope="col">
                        {key}
                      </th>
                    ))
                  ) : (
                    <th scope="col">Value</th>
                  )}
                  {hasSender && <th scope="col">Sent by</th>}
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((point, i) => {
                  const mark = outboxMark(point);
                  return (
                    <tr key={`${point.t}-${i}`} className={mark ? 'is-pending' : undefined}>
                      <td className="nowrap">
                        {formatDateTime(point.t, true)}
                        {mark && (
                          <span className={`badge row-mark ${mark.className}`} title={mark.title}>
                            {mark.text}
                          </span>
                        )}
                      </td>
                      {keys ? (
                        keys.map((key) => (
                          <td key={key}>{formatValue((point.d as Record<string, unknown>)[key])}</td>
                        ))
                      ) : (
                        <td className={typeof point.d === 'object' && point.d !== null ? 'mono' : undefined}>
                          {formatValue(point.d)}
                        </td>
                      )}
                      {hasSender && <td className="mono">{point.o ?? ''}</td>}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="row">
            <p className="muted table-count">
              Showing {newestFirst.length} of {points.length}
            </p>
            {points.length > shownCount && (
              <button type="button" className="btn btn-small" onClick={() => setShownCount((n) => n + 100)}>
                Show more
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
