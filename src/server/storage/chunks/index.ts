export { classifyValues, chunkValuesToData } from './classifyValues';
export type { ChunkValues, DecodedChunk } from './chunkCodec';
export {
  CHUNK_VERSION,
  MAX_CHUNK_POINTS,
  decodeChunk,
  decodeChunkTimes,
  encodeChunk,
  type ChunkScratch,
} from './chunkCodec';
export type { RollupChunkSections, RollupColumn } from './rollupCodec';
export {
  ROLLUP_CHUNK_VERSION,
  decodeRollupChunk,
  decodeRollupColumn,
  encodeRollupChunk,
  readRollupSections,
} from './rollupCodec';
