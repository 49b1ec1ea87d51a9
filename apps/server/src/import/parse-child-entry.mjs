// Entry of the import's parser process (parser.ts): registers the TypeScript loader (the process is started without
// the server's command-line options), then loads the parser itself.
import { register } from 'tsx/esm/api';

register();
await import('./parse-child.ts');
