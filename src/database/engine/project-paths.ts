import { join, resolve } from 'node:path';

/** The checkout's root, from `src/database/engine` (ts) and `dist/database/engine` (js) alike. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..', '..');

export const ENGINE_SETUP_SCRIPT = join(PROJECT_ROOT, 'tools', 'mongo-engine', 'setup.mjs');
export const ENGINE_DIR = join(PROJECT_ROOT, '.engine');
