// Entry of the import's worker threads: registers the TypeScript loader in this thread (a worker does not inherit
// the one the server was started with), then loads the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./stage-worker.ts');
