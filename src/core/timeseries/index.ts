export * from './bucketStart';
export * from './downsample';
export * from './m4';
export * from './m4Binary';
export * from './planPlot';
export * from './raster';
export * from './rollup';
