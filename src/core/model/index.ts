export * from './datapoint';
export * from './names';
export * from './objects';
export * from './paths';
