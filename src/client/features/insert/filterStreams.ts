import type { Stream } from '../../../core/model';

/**
 * The streams whose name, nickname, description, datatype or tags contain every word of the query
 * (case- and accent-insensitive), in the order given.
 */
export function filterStreams<T extends Stream>(streams: readonly T[], query: string): T[] {
  const fold = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...streams];
  return streams.filter((stream) => {
    const haystack = fold(
      [stream.name, stream.nickname, stream.description, stream.datatype, ...stream.tags].join(' '),
    );
    return words.every((word) => haystack.includes(word));
  });
}
