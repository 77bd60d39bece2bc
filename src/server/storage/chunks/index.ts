export { classifyValues, chunkValuesToData } from './classifyValues';
export type { ChunkValues, DecodedChunk } from './chunkCodec';
export { CHUNK_VERSION, MAX_CHUNK_POINTS, decodeChunk, encodeChunk } from './chunkCodec';
export { ROLLUP_CHUNK_VERSION, decodeRollupChunk, encodeRollupChunk } from './rollupCodec';
