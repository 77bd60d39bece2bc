/**
 * How every launcher runs the server (`npm start`, `npm run dev`, the tests' and the benchmarks'
 * server processes), so that all of them run it alike.
 *
 * V8's young generation starts at its full 16 MB and may grow to 32 MB. From V8's 1 MB start a
 * fresh server scavenged, and promoted into full collections, three times as often while serving
 * its first plots (plot p99 13–17 ms, against 7–11 ms once a batch ingest had grown the heap);
 * with 32 MB, batch ingest is 6 % faster.
 */
export const SERVER_NODE_ARGS = ['--min-semi-space-size=16', '--max-semi-space-size=32', '--import', 'tsx'];

export const SERVER_ENTRY = 'src/server/main.ts';
