// Makes the built CLI executable and copies non-TypeScript assets next to the compiled code.
import { chmodSync, existsSync } from 'node:fs';
const cli = 'dist/src/cli/main.js';
if (existsSync(cli)) chmodSync(cli, 0o755);
