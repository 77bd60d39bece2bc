export { compileStreamSchema, normalizeSchema, SchemaError, type StreamValidator } from './streamSchema';
export { describeSchema, type SchemaShape } from './describeSchema';
